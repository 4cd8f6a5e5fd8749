/* Stand-in for connect.facebook.net/en_US/fbevents.js: takes over fbq and drains its queue. */
(function (w) {
  var q = (w.fbq && w.fbq.queue) || [];
  w.__fbCalls = w.__fbCalls || [];
  // When the PageView reaches the pixel (the bench's "returning: PageView" column): the moment
  // the real script would send it to Meta.
  var fbq = function () {
    var a = Array.prototype.slice.call(arguments);
    w.__fbCalls.push(a);
    if (a[0] === 'track' && a[1] === 'PageView' && w.__pageViewAt === undefined) w.__pageViewAt = performance.now();
  };
  fbq.callMethod = fbq; fbq.queue = []; fbq.loaded = true; fbq.version = '2.0';
  if (w.fbq) { w.fbq.callMethod = fbq; }
  for (var i = 0; i < q.length; i++) fbq.apply(null, q[i]);
})(window);
