"""Commerce: the shop's events applied to carts, orders, stages and loyalty; abandoned-cart
recovery; the shop's metrics. `Commerce` (service) and `Shoppers` (one shopper, for the chat)
own their transactions; the other modules run inside them."""
