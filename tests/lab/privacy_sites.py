"""Collectivité home pages of the privacy lab: one per scenario, plus hostile pages.

Every site is `<name>.lab`; `SITES[name]` = {"files": {path: content}, "extra": nginx directives,
"http_only": bool, "headers": {...}}. The scenario each one plays is in its comment; the expected
verdicts are asserted in tests/lab/test_privacy_lab.py.
"""

from __future__ import annotations

FOOTER_OK = """<footer>
  <a href="/mentions-legales.html">Mentions légales</a> ·
  <a href="/donnees-personnelles.html">Données personnelles</a> ·
  <a href="/accessibilite.html">Accessibilité : partiellement conforme</a>
</footer>"""
LEGAL_PAGES = {
    "mentions-legales.html": "<!doctype html><meta charset=utf-8><title>Mentions légales – Mairie</title><p>Éditeur",
    "donnees-personnelles.html": "<!doctype html><meta charset=utf-8><title>Données personnelles</title><p>DPO",
    "accessibilite.html": "<!doctype html><meta charset=utf-8><title>Déclaration d'accessibilité</title><p>RGAA",
}


def page(title: str, body: str, head: str = "", footer: str = FOOTER_OK) -> str:
    return (f"<!doctype html><html lang=fr><head><meta charset=utf-8><title>{title}</title>{head}</head>"
            f"<body><h1>{title}</h1>{body}{footer}</body></html>\n")


def trackers_after_accept(*urls: str) -> str:
    return "<script>window.labTrackers = [" + ", ".join(f"'{u}'" for u in urls) + "];</script>"


GA = "https://www.googletagmanager.com/gtag/js?id=G-LAB"
FB = "https://connect.facebook.net/fr_FR/fbevents.js"

REVISITE_NGINX = """        location = /generation.js { default_type application/javascript;
            add_header Cache-Control "public, max-age=3600"; return 200 "window.labGeneration = '$request_id';"; }
        location = /etat { add_header Set-Cookie "http_vu=1; Max-Age=86400; Path=/; Secure"; return 204; }
"""

SITES: dict[str, dict] = {
    # Everything right: tarteaucitron (self-hosted) blocks Google Analytics until accept; exempt Matomo;
    # self-hosted font; youtube-nocookie embed; HTTPS contact form; a session cookie.
    "conforme": {"files": {**LEGAL_PAGES, "tarteaucitron/tarteaucitron.js": "@TARTEAUCITRON",
                           "fonts/marianne.woff2": b"wOF2" + b"\0" * 64, "index.html": page(
        "Mairie de Conforme",
        '<p style="font-family: Marianne">Bienvenue</p>'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="vidéo"></iframe>'
        '<form action="/contact" method="post"><input type="email" name="courriel"><button>Envoyer</button></form>',
        head="<style>@font-face{font-family:Marianne;src:url(/fonts/marianne.woff2)}</style>"
             + trackers_after_accept(GA)
             + '<script src="/tarteaucitron/tarteaucitron.js"></script>'
             + '<script src="https://ville.matomo.cloud/matomo.js"></script>')},
        "headers": {"Set-Cookie": "PHPSESSID=lab; Path=/; Secure; HttpOnly; SameSite=Lax"}},
    # A banner that lets trackers through (Axeptio, in a shadow root): Google Analytics and the Facebook
    # pixel load at once, Hotjar 2 s after load; Google Fonts; YouTube and Google Maps embeds; no legal
    # notice, no policy, an accessibility link without level; mixed content; a password form to http://.
    "fuite": {"files": {"index.html": page(
        "Commune de Fuite",
        '<p style="font-family: Roboto">Actualités</p><img src="http://fuite.lab/logo.png" alt="">'
        '<script src="http://fuite.lab/ancien.js"></script>'
        '<iframe src="https://www.youtube.com/embed/xyz" title="vidéo"></iframe>'
        '<iframe src="https://www.google.com/maps/embed?pb=lab" title="carte"></iframe>'
        '<form action="http://fuite.lab/connexion" method="post"><input name="identifiant">'
        '<input type="password" name="mdp"></form>'
        "<script>addEventListener('load', function () { setTimeout(function () {"
        "var s = document.createElement('script'); s.src = 'https://static.hotjar.com/c/hotjar.js';"
        "document.head.appendChild(s); }, 2000); });</script>",
        head='<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">'
             f'<script src="https://static.axept.io/sdk.js"></script><script src="{GA}"></script>'
             f'<script src="{FB}"></script>',
        footer='<footer><a href="/accessibilite.html">Accessibilité</a></footer>')}},
    # Didomi without a refuse button; trackers only after accept; policy link to a missing page;
    # "non conforme"; served over HTTP only, with a login form.
    "sans-refus": {"http_only": True, "files": {"mentions-legales.html": LEGAL_PAGES["mentions-legales.html"],
                                                "index.html": page(
        "Ville Sans-Refus",
        '<form method="post" action="/connexion"><input type="password" name="motdepasse"></form>',
        head=trackers_after_accept(FB) + '<script src="https://sdk.privacy-center.org/loader.js"></script>',
        footer='<footer><a href="/mentions-legales.html">Mentions légales</a> '
               '<a href="/confidentialite.html">Politique de confidentialité</a> '
               '<p>Accessibilité : non conforme</p></footer>')}},
    # No banner at all: Google Analytics and a Matomo that sends a user ID (not exempt).
    "sans-bandeau": {"files": {**LEGAL_PAGES, "index.html": page(
        "Mairie Sans-Bandeau", "<p>Bonjour</p>",
        head=f'<script src="{GA}"></script><script>window._paq_uid = "agent42";</script>'
             '<script src="https://ville.matomo.cloud/matomo.js"></script>',
        footer=FOOTER_OK.replace("partiellement conforme", "totalement conforme"))}},
    # Consent managers recognised (each blocks trackers until accept, with a refuse button).
    "cookiebot": {"files": {**LEGAL_PAGES, "index.html": page(
        "Cookiebot", "", head=trackers_after_accept(GA) + '<script src="https://consent.cookiebot.com/uc.js"></script>')}},
    "onetrust": {"files": {**LEGAL_PAGES, "index.html": page(
        "OneTrust", "", head=trackers_after_accept(GA)
        + '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js"></script>')}},
    "sirdata": {"files": {**LEGAL_PAGES, "index.html": page(
        "Sirdata", "", head=trackers_after_accept(FB)
        + '<script src="https://cache.consentframework.com/js/pa/1/c/1/stub"></script>')}},
    "generique": {"files": {**LEGAL_PAGES, "index.html": page(
        "Générique", '<div id="bandeau-cookies"><p>Cookies ?</p><button id="ok">J\'accepte</button>'
        '<button id="non">Je refuse</button></div><script>document.getElementById("ok").onclick = function () {'
        "var s = document.createElement('script'); s.src = '" + GA + "'; document.head.appendChild(s); };</script>")}},
    # Piano Analytics in exempt mode: audience measurement without consent, reported as exempt.
    "piano": {"files": {**LEGAL_PAGES, "index.html": page(
        "Piano", "", head='<script src="https://tag.aticdn.net/piano-analytics.js"></script>')}},
    # Hostile pages: dialogs, navigation away, a server redirect off scope, a script that never yields,
    # a request flood, an endless reload, and references to names outside the lab.
    "alerte": {"files": {**LEGAL_PAGES, "index.html": page(
        "Alerte", "<script>alert('un'); confirm('deux'); prompt('trois');"
        "setInterval(function () { alert('encore'); }, 50);</script>")}},
    "ailleurs": {"files": {**LEGAL_PAGES, "index.html": page(
        "Ailleurs", "<script>setTimeout(function () { location.href = 'https://www.hors-perimetre.example/'; }, 300);"
        "</script>")}},
    "redirige": {"extra": "        location = / { return 302 https://autre-site.example/; }\n", "files": {}},
    "boucle": {"files": {**LEGAL_PAGES, "index.html": page(
        "Boucle", "<script>addEventListener('load', function () { setTimeout(function () { for (;;) {} }, 100); });"
        "</script>")}},
    "deluge": {"files": {**LEGAL_PAGES, "index.html": page(
        "Déluge", "<script>for (var i = 0; i < 3000; i++) { new Image().src = '/img?n=' + i; }</script>"
        + "<p>" + "x" * 200000 + "</p>")}},
    "recharge": {"files": {**LEGAL_PAGES, "index.html": page(
        "Recharge", "<script>location.reload();</script>")}},
    # A returning-visitor detector (pool reuse, tests/lab/test_privacy_lab.py): the page reports what an
    # earlier visit left (its script and HTTP cookies, localStorage, IndexedDB; /generation.js is cacheable
    # for an hour and tells which response it is), then leaves all of that behind for the next visit.
    "revisite": {"extra": REVISITE_NGINX, "files": {**LEGAL_PAGES, "index.html": page(
        "Revisite", '<script src="/generation.js"></script><script>'
        "var c = document.cookie, q = 'js=' + (/(^|; )js_vu=/.test(c) ? 1 : 0) + '&http=' + (/(^|; )http_vu=/.test(c) ? 1 : 0)"
        " + '&ls=' + (localStorage.getItem('vu') || '') + '&gen=' + window.labGeneration;"
        "var db = indexedDB.open('revisite', 1), fresh = 0; db.onupgradeneeded = function () { fresh = 1; };"
        "db.onsuccess = function () { fetch('/etat?' + q + '&idb_nouvelle=' + fresh); };"
        "document.cookie = 'js_vu=1; max-age=86400; path=/'; localStorage.setItem('vu', 'oui');</script>")}},
    "externe": {"files": {**LEGAL_PAGES, "index.html": page(
        "Externe", '<script src="https://cdn.inconnu-hors-labo.example/x.js"></script>'
        '<img src="https://pixel.hors-labo.example/p.gif" alt="">')}},
}
