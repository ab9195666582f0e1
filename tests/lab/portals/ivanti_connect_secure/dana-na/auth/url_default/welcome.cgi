<!doctype html>
<html><head><title>Accès sécurisé</title><link rel="stylesheet" href="/dana-na/css/lab.css"></head>
<body><p>Connect Secure</p><form action="/dana-na/auth/url_default/login.cgi" method="post">
<input name="username"><input type="password" name="password"></form></body></html>
