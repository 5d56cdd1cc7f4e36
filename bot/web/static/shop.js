/* Demo storefront: keeps a cart in localStorage and reports page views, product views,
 * cart changes, checkout and orders as shop events. The demo shop's server knows the visitor
 * from its own cookie (the same visitor the chat widget is linked to), so the assistant sees
 * the same cart the shopper sees; orders are priced from the catalog on the server. */
(function () {
  "use strict";
  var cart = JSON.parse(localStorage.getItem("demo.cart") || "[]");
  // A cart reminder e-mail's link comes back as /?cart=SKU:QTY,...#chat: that cart, priced from this page.
  var restore = new URLSearchParams(location.search).get("cart");
  if (restore) {
    cart = [];
    restore.split(",").forEach(function (part) {
      var bits = part.split(":"), qty = parseInt(bits[1], 10);
      var button = document.querySelector('button.add[data-sku="' + CSS.escape(bits[0]) + '"]');
      if (button && qty > 0 && qty < 100) {
        cart.push({ sku: bits[0], name: button.dataset.name, price: parseFloat(button.dataset.price), qty: qty });
      }
    });
    history.replaceState(null, "", location.pathname + location.hash);
  }
  // The production profile turns the demo shop's events off (a real shop posts them from its server).
  var demoEvents = document.body.getAttribute("data-demo-events") === "on";
  function post(event) {
    if (!demoEvents) { return Promise.resolve(null); }
    return fetch("/demo/events", { method: "POST", credentials: "same-origin",
                                   headers: { "Content-Type": "application/json" }, body: JSON.stringify(event) });
  }
  function render() {
    var total = cart.reduce(function (sum, i) { return sum + i.price * i.qty; }, 0);
    document.getElementById("cart-summary").textContent = cart.length
      ? cart.map(function (i) { return i.name + " x" + i.qty; }).join(", ") + " (€" + total.toFixed(2) + ")" : "empty";
    document.getElementById("checkout").hidden = !cart.length;
    document.getElementById("place-order").hidden = !cart.length;
    localStorage.setItem("demo.cart", JSON.stringify(cart));
  }
  function items() { return cart.map(function (i) { return { sku: i.sku, qty: i.qty }; }); }
  function addToCart(sku, name, price) {
    var line = cart.find(function (i) { return i.sku === sku; });
    if (line) { line.qty += 1; } else { cart.push({ sku: sku, name: name, price: parseFloat(price), qty: 1 }); }
    render();
    post({ type: "cart_updated", items: items() });
  }
  document.querySelectorAll("button.add").forEach(function (button) {
    button.addEventListener("click", function () { addToCart(button.dataset.sku, button.dataset.name, button.dataset.price); });
  });
  // "Add to cart" on a product card in the chat widget.
  window.addEventListener("shopmate:add-to-cart", function (event) {
    var detail = event.detail || {};
    if (typeof detail.sku === "string") { addToCart(detail.sku, String(detail.name || detail.sku), detail.price_eur); }
  });
  document.getElementById("checkout").addEventListener("click", function () { post({ type: "checkout_started" }); });
  document.getElementById("place-order").addEventListener("click", function () {
    post({ type: "order_placed", items: items() }).then(function () { cart = []; render(); });
  });
  var page = document.querySelector(".product-page");
  post(page ? { type: "product_view", sku: page.dataset.sku } : { type: "page_view", url: location.pathname });
  render();
})();
