"""Log in to a running Odoo and save screenshots of pages (headless Chromium).

Usage: python tools/screenshot.py URL LOGIN PASSWORD OUT.png PATH [OUT2.png PATH2 ...]
(LOGIN "-" for public pages, without logging in)
PATH is a path of the web client, e.g.
/odoo/action-iso10002_complaints.helpdesk_ticket_action_complaint
SCREENSHOT_SIZE=390x844 takes them as a phone of that size (mobile layout).
Needs Debian's chromium and the websocket-client package.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found: apt-get install chromium")


class Browser:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            [
                _chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                "--window-size=1400,1000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as reply:
                    pages = [p for p in json.load(reply) if p["type"] == "page"]
                    if pages:
                        break
            except OSError:
                time.sleep(0.1)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def eval(self, expression):
        return self.call("Runtime.evaluate", expression=expression, awaitPromise=True)

    def goto(self, url, settle=4):
        self.call("Page.navigate", url=url)
        time.sleep(settle)

    def shot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(url, login, password, *targets):
    browser = Browser()
    try:
        browser.call("Page.enable")
        size = os.environ.get("SCREENSHOT_SIZE")
        if size:
            width, height = (int(part) for part in size.split("x"))
            browser.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=True,
            )
        if login != "-":  # "-": public pages, no login
            browser.goto(f"{url}/web/login", settle=2)
            browser.eval(
                "document.querySelector('input[name=login]').value = "
                f"{json.dumps(login)};"
                f"document.querySelector('input[name=password]').value = "
                f"{json.dumps(password)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            time.sleep(4)
        for out, path in zip(targets[::2], targets[1::2], strict=True):
            browser.goto(url + path)
            browser.shot(out)
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
