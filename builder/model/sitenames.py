"""The names the built site uses at its top level, beside the villages' folders.

A village's pages live at ``/<village-id>/``. A village whose id is one of these names would
lose its pages to the site's own (or take theirs), so the registry refuses such ids (E090).
The views and the engine take their folder names from here, so the list cannot fall behind.
"""

from __future__ import annotations

# Written by our own code.
STATUS = "status"  # one list page per status
CATEGORY = "category"  # one list page per category
STATS = "stats"
DATA = "data"  # the open-data page and its files
GUIDE = "guide"
SEARCH = "search"  # the search page
PAGEFIND = "pagefind"  # the search index and its scripts
SCHEMA = "schema"  # schema/record.json
FEED = "feed.xml"
ABOUT = "about"  # docs/about.md
TOWNSHIP = "township"  # one page per township, on a site of several
OVERDUE = "overdue"  # the overdue list, in pages
OURS = (STATUS, CATEGORY, STATS, DATA, GUIDE, SEARCH, PAGEFIND, SCHEMA, FEED, ABOUT, TOWNSHIP, OVERDUE)

# Written by MkDocs and the Material theme: the theme's files (and ours under overrides/assets),
# the home page, the 404 page and the sitemap.
MKDOCS = ("assets", "index.html", "404.html", "sitemap.xml", "sitemap.xml.gz")

RESERVED = frozenset(OURS + MKDOCS)
