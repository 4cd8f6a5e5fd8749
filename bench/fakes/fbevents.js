/* Stand-in for connect.facebook.net/en_US/fbevents.js: takes over fbq and drains its queue. */
(function (w) {
  var q = (w.fbq && w.fbq.queue) || [];
  w.__fbCalls = w.__fbCalls || [];
  var fbq = function () { w.__fbCalls.push(Array.prototype.slice.call(arguments)); };
  fbq.callMethod = fbq; fbq.queue = []; fbq.loaded = true; fbq.version = '2.0';
  if (w.fbq) { w.fbq.callMethod = fbq; }
  for (var i = 0; i < q.length; i++) fbq.apply(null, q[i]);
})(window);
