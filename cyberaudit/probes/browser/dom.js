// DOM facts of the loaded page, for the privacy and web judges. Called as (function(args){...})(args);
// returns plain JSON. Bounded: at most MAX_NODES elements walked (open shadow roots included),
// 400 links, 50 forms, 100 frames, 8 banners of 30 buttons; every string cut.
(function (args) {
  const MAX_NODES = 30000, cut = (s, n) => String(s == null ? "" : s).replace(/\s+/g, " ").trim().slice(0, n);
  const all = [];
  const walk = (root) => {
    const stack = [root];
    while (stack.length && all.length < MAX_NODES) {
      const node = stack.pop();
      const kids = node.children || [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
      if (node.nodeType === 1) { all.push(node); if (node.shadowRoot) stack.push(node.shadowRoot); }
    }
  };
  walk(document.documentElement || document);
  const visible = (el) => {
    try {
      if (!el.getClientRects().length) return false;
      const s = getComputedStyle(el);
      return s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity || "1") > 0.05;
    } catch (e) { return false; }
  };
  const text = (el) => cut(el.innerText || el.value || el.getAttribute("aria-label") || el.title || "", 160);
  const links = [], forms = [], frames = [];
  for (const el of all) {
    const tag = el.tagName;
    if (tag === "A" && el.href && links.length < 400) links.push({href: cut(el.href, 500), text: text(el)});
    else if (tag === "FORM" && forms.length < 50) {
      const fields = [];
      for (const f of el.querySelectorAll("input,textarea,select")) {
        if (fields.length >= 50) break;
        fields.push({type: cut((f.type || f.tagName).toLowerCase(), 20), name: cut(f.name || f.id, 60),
                     autocomplete: cut(f.getAttribute("autocomplete"), 40)});
      }
      forms.push({action: cut(el.action, 500), method: cut(el.method, 10), fields});
    } else if ((tag === "IFRAME" || tag === "FRAME") && frames.length < 100) frames.push(cut(el.src, 500));
  }
  // Consent managers: script globals and root elements; then a generic cookie banner.
  const cmpNames = [], banners = [], seen = new Set();
  const clickables = (root) => {
    const out = [], sub = [];
    const w = (r) => {
      for (const el of r.querySelectorAll("*")) {
        if (sub.length > 5000) return;
        sub.push(el);
        if (el.shadowRoot) w(el.shadowRoot);
      }
    };
    w(root);
    if (root.shadowRoot) w(root.shadowRoot);
    for (const el of sub) {
      if (out.length >= 30) break;
      const t = el.tagName, role = el.getAttribute("role");
      const ok = t === "BUTTON" || t === "A" || role === "button" || (t === "INPUT" && /^(button|submit)$/i.test(el.type));
      if (ok && visible(el)) {
        const idx = window.__cyberauditButtons.push(el) - 1;
        out.push({text: text(el), id: cut(el.id, 80), idx});
      }
    }
    return out;
  };
  const nested = (el) => [...seen].some((s) => s.contains(el) || el.contains(s));
  window.__cyberauditButtons = [];
  for (const cmp of args.cmps) {
    if (cmp.globals.some((g) => { try { return typeof window[g] !== "undefined"; } catch (e) { return false; } }))
      cmpNames.push(cmp.name);
    for (const sel of cmp.roots) {
      let el = null; try { el = document.querySelector(sel); } catch (e) {}
      if (el && !nested(el) && banners.length < 8) {
        seen.add(el);
        if (visible(el) || el.shadowRoot) banners.push({cmp: cmp.name, root: sel, buttons: clickables(el)});
      }
    }
  }
  if (!banners.length) {
    const re = /cookie|consent|rgpd|gdpr|bandeau|privacy|cmp/i;
    for (const el of all) {
      if (banners.length >= 3) break;
      const tag = el.tagName;
      if (!/^(DIV|SECTION|ASIDE|DIALOG|FORM|NAV|FOOTER|HEADER)$/.test(tag)) continue;
      const label = (el.id || "") + " " + (typeof el.className === "string" ? el.className : "") + " " +
                    (el.getAttribute("aria-label") || "");
      if (!re.test(label) || !visible(el)) continue;
      if (nested(el)) continue;
      const btns = clickables(el);
      if (btns.length) { seen.add(el); banners.push({cmp: null, root: cut(label, 80), buttons: btns}); }
    }
  }
  const body = document.body ? cut(document.body.innerText, 300000) : "";
  const acc = [];
  const re2 = /accessibilit[eé][^\n]{0,60}/gi;
  let m;
  while ((m = re2.exec(body)) && acc.length < 10) acc.push(cut(m[0], 100));
  return {title: cut(document.title, 200), url: cut(location.href, 500), lang: cut(document.documentElement.lang, 20),
          links, forms, iframes: frames, cmp_names: cmpNames, banners, accessibility_text: acc,
          nodes: all.length};
})
