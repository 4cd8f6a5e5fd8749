/* Stand-in for www.googletagmanager.com/gtag/js: notes that it ran. */
window.__gtagLoaded = (window.__gtagLoaded || 0) + 1;
