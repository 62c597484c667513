"""How a site gets built: the MkDocs plugin, matter pages, Pagefind, QR codes, images, parallel work."""
