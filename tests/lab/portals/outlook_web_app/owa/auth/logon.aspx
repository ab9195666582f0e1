<!doctype html>
<html><head><title>Outlook</title>
<link rel="stylesheet" href="/owa/auth/lab/themes/base.css"></head>
<body><form action="/owa/auth.owa" method="post">
<input name="username"><input type="password" name="password"><input type="submit" value="Connexion">
</form></body></html>
