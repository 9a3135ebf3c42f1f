"""Odoo's own launcher (odoo-bin), for the servers of `make load`.

A prefork server starts its gevent (websocket) process again from its own
argv[0]. In that process gevent loads its monkey-patch plugins through
pkg_resources, which checks their requirements; in an env where
pkg_resources does not recognise a dependency installed under its
normalised name (zope_interface), that check fails and the process dies at
start, again and again. gevent's plugins are its own: the check is skipped
there, in this process only."""

import os
import sys

os.environ["TZ"] = "UTC"  # as odoo-bin: the server's time zone is UTC

if sys.argv[1:2] == ["gevent"]:
    import pkg_resources

    pkg_resources.EntryPoint.require = lambda self, *args, **kwargs: None

import odoo

if __name__ == "__main__":
    odoo.cli.main()
