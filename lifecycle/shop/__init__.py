"""The shop's facts from `data/shop/`: validated models (`facts`), loading and reloading
(`loader`), and the answers worked out from them (catalog lookup, countries, policies,
advice, agent hours, languages). No database and no web: pure functions of the shop."""
