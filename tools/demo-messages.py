#!/usr/bin/env python3
"""Write the demo's five new messages into OUT: a person, a Spanish speaker, an emergency,
an out-of-office reply and a mailing-list message, all dated now.   demo-messages.py OUT"""
import email.utils
import os
import sys
import time

BOX = "TroopKCTL@ct.gov"
MESSAGES = [
    ("person", "Maria Rodriguez <maria.rodriguez@example.com>", "Coffee with a Cop in Putnam?",
     [], "Hello,\n\nOur diner in Putnam would like to host a Coffee with a Cop next month.\n"
         "Could a liaison come? Any Saturday works.\n\nMaria\n"),
    ("spanish", "José Núñez <jose.nunez@example.com>", "Necesito ayuda",
     [], "Hola,\n\nMi esposo me pega y tengo miedo. No puedo llamar desde la casa.\n"
         "¿Me pueden ayudar?\n"),
    ("emergency", "Tyrone Smith <tsmith@example.com>", "HELP NOW",
     [], "There is a man outside my house right now with a gun threatening my neighbor.\n"
         "Please send someone to 12 Elm St in Danbury!!\n"),
    ("out-of-office", "Linda Brown <lbrown@example.com>", "Automatic reply: Community day",
     ["Auto-Submitted: auto-replied"],
     "I am out of the office until Monday with limited access to email.\n"),
    ("list", "Neighborhood Watch <watch@lists.example.org>", "[watch] Meeting minutes",
     ["List-Id: Neighborhood Watch <watch.lists.example.org>", "Precedence: list"],
     "Minutes of the neighborhood association meeting are attached.\n"),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, (name, frm, subject, extra, body) in enumerate(MESSAGES):
        addr = email.utils.parseaddr(frm)[1]
        rp = "watch-bounces@lists.example.org" if name == "list" else addr
        head = [f"Return-Path: <{rp}>", f"From: {frm}", f"To: {BOX}",
                f"Subject: {subject}", f"Date: {email.utils.formatdate(time.time())}",
                f"Message-ID: <demo-{name}.{int(time.time())}@example.com>", "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit"] + extra
        raw = "\r\n".join(head) + "\r\n\r\n" + body.replace("\n", "\r\n")
        with open(os.path.join(out, f"{i}-{name}.eml"), "wb") as f:
            f.write(raw.encode())


if __name__ == "__main__":
    main()
