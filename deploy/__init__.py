"""How Newsroom is run in front of and beside Django: Varnish and the local stack."""
