"""Print whether DBNAME is missing, lacks the addon, or has it installed.

Usage: python tools/dbstate.py CONFIG DBNAME
"""

import configparser
import sys

import psycopg2


def main(config_path, dbname):
    options = configparser.ConfigParser()
    options.read(config_path)
    opts = options["options"]
    login = {
        "user": opts.get("db_user"),
        "password": opts.get("db_password"),
        "host": opts.get("db_host"),
        "port": opts.get("db_port"),
    }
    with psycopg2.connect(dbname="postgres", **login) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
        if not cr.fetchone():
            return "missing"
    with psycopg2.connect(dbname=dbname, **login) as conn, conn.cursor() as cr:
        cr.execute("SELECT to_regclass('ir_module_module')")
        if not cr.fetchone()[0]:
            return "not-installed"
        cr.execute(
            "SELECT state FROM ir_module_module WHERE name = 'iso10002_complaints'"
        )
        row = cr.fetchone()
        return "installed" if row and row[0] == "installed" else "not-installed"


if __name__ == "__main__":
    print(main(*sys.argv[1:3]))
