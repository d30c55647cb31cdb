"""A real SMTP server for tests (aiosmtpd on 127.0.0.1): it keeps what it receives, can
answer "try again later", and can go away and come back on the same port."""

import email
import threading
from email import policy

from aiosmtpd.controller import Controller
from django.core.management import call_command

from tests.workshops.live_site import free_port


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.refusing = False
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address):
        with self._lock:
            return [message for message in self.messages if message["To"] == address]

    def subjects(self, address):
        """The subjects of the mails to ``address``, unfolded."""
        return [" ".join(str(message["Subject"]).split()) for message in self.to(address)]

    def settings(self):
        """Django's settings for sending to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }

    def env(self):
        """The environment for a server or worker process sending to this server."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0", "EMAIL_TIMEOUT": "5"}


def run_worker():
    """The task worker (`manage.py db_worker`) in this process, until no task is due."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
