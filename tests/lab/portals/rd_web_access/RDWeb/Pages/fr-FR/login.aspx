<!doctype html>
<html><head><title>Connexion</title></head>
<body><h1>Bureau à distance</h1>
<form method="post"><input name="DomainUserName"><input type="password" name="UserPass"></form>
</body></html>
