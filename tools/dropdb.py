"""Drop a database named on the command line, using an Odoo config's login.

Usage: python tools/dropdb.py CONFIG DBNAME
Only for the throw-away test and benchmark databases.
"""

import configparser
import sys

import psycopg2
from psycopg2 import sql


def main(config_path, dbname):
    if not dbname.startswith("iso10002_") or dbname == "iso10002_demo":
        sys.exit(f"refusing to drop {dbname!r}: not a throw-away database")
    options = configparser.ConfigParser()
    options.read(config_path)
    opts = options["options"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=opts.get("db_user"),
        password=opts.get("db_password"),
        host=opts.get("db_host"),
        port=opts.get("db_port"),
    )
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        )
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(dbname)))
    conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
