"""Django's PostgreSQL backend with a health check that costs no round trip (issue 12).

With ``CONN_HEALTH_CHECKS`` Django checks a reused connection before the first query of
every request, and its PostgreSQL backend does it with a ``SELECT 1``: a round trip to the
server on every check-in, one more wake-up of the server's backend, and on two cores a wait
for it to be scheduled. Here the check reads, without waiting, whatever the server sent
while the connection was idle: a server that ended the session (a restart,
``pg_terminate_backend``, ``idle_session_timeout``, a failover that closed the socket) has
sent its FATAL error and closed the socket, and libpq then reports the connection broken,
so Django replaces it before the request's first query, as with the ``SELECT 1``.

What neither check sees is a peer that vanished without closing the socket (a cable, a
crashed host): the ``SELECT 1`` would wait for TCP to give up as well. libpq's TCP
keepalives (on by default) are the remedy for both.
"""

from __future__ import annotations

from django.db.backends.postgresql import base
from psycopg import OperationalError
from psycopg.pq import ConnStatus, TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        """Usable unless the server closed or broke the connection while it was idle; sends
        nothing (libpq's non-blocking read of what has arrived)."""
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        try:
            # Two reads that never wait: the first takes what arrived while idle (a FATAL
            # error, that libpq only notes), the second the end of file after it.
            pgconn.consume_input()
            pgconn.consume_input()
        except OperationalError:  # end of file: the server closed the session
            return False
        return bool(
            pgconn.status == ConnStatus.OK
            and pgconn.transaction_status != TransactionStatus.UNKNOWN
        )
