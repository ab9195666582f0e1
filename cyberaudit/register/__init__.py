"""The RGPD record of processing activities (art. 30): model, store, templates, check, import/export."""
