"""Local stand-ins for third-party services, written for the lab (no vendor code): served by nginx on
loopback under the vendors' real host names (the lab's knot resolves them to loopback). Each behaves
like the real service as far as our checks can see: the host and path it is loaded from, the cookie it
sets, the beacon it sends, the globals and banner markup of the consent managers.
"""

from __future__ import annotations

# zone -> names in it that the lab serves (a wildcard covers the rest)
ZONES = ["google-analytics.com", "googletagmanager.com", "facebook.net", "facebook.com", "hotjar.com",
         "googleapis.com", "gstatic.com", "youtube.com", "youtube-nocookie.com", "google.com", "axept.io",
         "privacy-center.org", "cookiebot.com", "cookielaw.org", "consentframework.com", "matomo.cloud",
         "aticdn.net", "pa-cd.com"]
HOSTS = ["www.google-analytics.com", "www.googletagmanager.com", "connect.facebook.net", "www.facebook.com",
         "static.hotjar.com", "fonts.googleapis.com", "fonts.gstatic.com", "www.youtube.com",
         "www.youtube-nocookie.com", "www.google.com", "static.axept.io", "sdk.privacy-center.org",
         "consent.cookiebot.com", "cdn.cookielaw.org", "cache.consentframework.com", "ville.matomo.cloud",
         "tag.aticdn.net", "collecte.pa-cd.com"]

_COOKIE = "function setc(n, v, days) { document.cookie = n + '=' + v + '; max-age=' + days * 86400 + '; path=/'; }\n"
GTAG = _COOKIE + """setc('_ga', 'GA1.1.' + Date.now(), 730);
new Image().src = 'https://www.google-analytics.com/g/collect?v=2&tid=G-LAB&cid=' + Date.now();
"""
GTM = """var s = document.createElement('script'); s.src = 'https://www.googletagmanager.com/gtag/js?id=G-LAB';
document.head.appendChild(s);
"""
FBEVENTS = _COOKIE + """setc('_fbp', 'fb.1.' + Date.now(), 90);
new Image().src = 'https://www.facebook.com/tr?id=123&ev=PageView';
"""
HOTJAR = _COOKIE + "setc('_hjSessionUser_1', 'x', 365);\n"
MATOMO = _COOKIE + """var uid = (window._paq_uid ? '&uid=' + window._paq_uid : '');
setc('_pk_id.1.abcd', 'a1b2c3', 390);
new Image().src = 'https://ville.matomo.cloud/matomo.php?idsite=1&rec=1' + uid;
"""
PIANO = _COOKIE + """setc('_pcid', '%7B%22browserId%22%3A%22x%22%7D', 390);
setc('_pprv', '%7B%22consent%22%3A%7B%22mode%22%3A%22exempt%22%7D%7D', 390);
new Image().src = 'https://collecte.pa-cd.com/event?s=1&idclient=x&visitor_privacy_mode=exempt';
"""
GOOGLE_FONTS_CSS = """@font-face { font-family: 'Roboto'; font-style: normal; font-weight: 400;
  src: url(https://fonts.gstatic.com/s/roboto/v30/roboto.woff2) format('woff2'); }
"""
EMBED = "<!doctype html><title>embed</title><p>lecteur</p>\n"
MAPS = "<!doctype html><title>carte</title><p>carte</p>\n"

# A consent manager stand-in: builds its banner (optionally in a shadow root), remembers the choice,
# and loads the page's `window.labTrackers` (a list of script URLs) only after "accept".
_CMP = """(function () {
  %(global)s
  function load() { (window.labTrackers || []).forEach(function (u) {
    var s = document.createElement('script'); s.src = u; document.head.appendChild(s); }); }
  function choose(ok) { document.cookie = '%(cookie)s=' + (ok ? 'all' : 'none') + '; max-age=33000000; path=/';
    root.style.display = 'none'; if (ok) load(); }
  var root = document.createElement('div'); %(root)s
  var host = %(shadow)s;
  host.innerHTML = %(html)s;
  function wire() {
    document.body.appendChild(root);
    host.querySelectorAll('[data-ok]').forEach(function (b) {
      b.addEventListener('click', function () { choose(b.getAttribute('data-ok') === '1'); }); });
  }
  if (document.body) wire(); else document.addEventListener('DOMContentLoaded', wire);
})();
"""


def cmp_script(global_: str, cookie: str, root: str, buttons: list[tuple[str, str, bool]], *,
               shadow: bool = False) -> str:
    """buttons: (element id, label, accepts?)."""
    html = "".join(f'<button id="{i}" data-ok="{1 if ok else 0}">{label}</button>' for i, label, ok in buttons)
    html = f"<p>Ce site utilise des cookies.</p>{html}"
    return _CMP % {"global": global_, "cookie": cookie, "root": root,
                   "shadow": "root.attachShadow({mode: 'open'})" if shadow else "root",
                   "html": repr(html)}


TARTEAUCITRON = cmp_script(
    "window.tarteaucitron = {init: function () {}, job: []};", "tarteaucitron", "root.id = 'tarteaucitronRoot';",
    [("tarteaucitronPersonalize2", "✓ Tout accepter", True), ("tarteaucitronAllDenied2", "✗ Tout refuser", False),
     ("tarteaucitronCloseAlert", "Personnaliser", False)])
AXEPTIO = cmp_script(
    "window.__axeptioSDK = {}; window.axeptioSettings = window.axeptioSettings || {};", "axeptio_cookies",
    "root.className = 'axeptio_mount';",
    [("axeptio_btn_dismiss", "Non merci", False), ("axeptio_btn_acceptAll", "OK pour moi", True)], shadow=True)
DIDOMI = cmp_script(
    "window.Didomi = {};", "didomi_token", "root.id = 'didomi-host'; root.innerHTML = '';",
    [("didomi-notice-agree-button", "Accepter &amp; Fermer", True), ("didomi-notice-learn-more-button",
                                                                      "En savoir plus", False)])
COOKIEBOT = cmp_script(
    "window.Cookiebot = {};", "CookieConsent", "root.id = 'CybotCookiebotDialog';",
    [("CybotCookiebotDialogBodyButtonDecline", "Refuser", False),
     ("CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll", "Autoriser tous les cookies", True)])
ONETRUST = cmp_script(
    "window.OneTrust = {}; window.Optanon = {};", "OptanonConsent", "root.id = 'onetrust-banner-sdk';",
    [("onetrust-reject-all-handler", "Tout refuser", False), ("onetrust-accept-btn-handler", "Tout accepter", True)])
SIRDATA = cmp_script(
    "window.Sddan = {};", "euconsent-v2", "root.id = 'sd-cmp';",
    [("sd-refuse", "Continuer sans accepter", False), ("sd-accept", "Accepter et fermer", True)])

# path on the vendors' shared nginx root -> content
FILES = {
    "gtag.js": GTAG, "gtm.js": GTM, "fr_FR/fbevents.js": FBEVENTS, "c/hotjar.js": HOTJAR, "matomo.js": MATOMO,
    "piano-analytics.js": PIANO, "css2.css": GOOGLE_FONTS_CSS, "s/roboto/v30/roboto.woff2": b"wOF2" + b"\0" * 64,
    "embed.html": EMBED, "maps.html": MAPS, "sdk.js": AXEPTIO, "loader.js": DIDOMI, "uc.js": COOKIEBOT,
    "scripttemplates/otSDKStub.js": ONETRUST, "sirdata-stub.js": SIRDATA,
}
EXTRA = """
        location = /gtag/js { default_type application/javascript; try_files /gtag.js =404; }
        location = /gtm.js { default_type application/javascript; try_files /gtm.js =404; }
        location = /css2 { default_type text/css; try_files /css2.css =404; }
        location ^~ /embed/ { default_type text/html; add_header Set-Cookie "YSC=lab; Path=/; Secure; SameSite=None"; try_files /embed.html =404; }
        location ^~ /maps/embed { default_type text/html; try_files /maps.html =404; }
        location = /js/pa/1/c/1/stub { default_type application/javascript; try_files /sirdata-stub.js =404; }
        location ~ ^/(g/collect|tr|matomo\\.php|event)$ { return 204; }
"""
