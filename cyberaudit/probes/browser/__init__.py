"""Headless Chromium for the privacy family: DevTools pipe, proxy, page pool, visits."""
