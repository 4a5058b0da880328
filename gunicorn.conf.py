"""gunicorn settings for Broadsheet: `gunicorn -c gunicorn.conf.py` (or `make serve`).

Every value can be overridden on the command line or in GUNICORN_CMD_ARGS; the few
environment variables below are read here, by gunicorn, not by the application.
"""

import os


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers)
    except AttributeError:
        return os.cpu_count() or 1


wsgi_app = "app:create_app()"
bind = os.environ.get("BROADSHEET_BIND", "127.0.0.1:8000")

# The usual (2 x CPUs) + 1 sync workers: requests are short, nginx buffers slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cpu_count() + 1))
worker_class = "sync"
# A request that takes longer than this is stuck: the worker is killed and replaced.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so slow leaks never build up.
max_requests = 2000
max_requests_jitter = 200

# The application logs one line per request with its duration and request id (see
# request_log.py); gunicorn's access log is off by default to avoid saying it twice. Turn
# it on with --access-logfile - ; this format then matches (duration in ms, request id).
accesslog = None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" id=%({x-request-id}o)s'
errorlog = "-"
loglevel = "info"
# Tracebacks and the app's log lines go to stderr, which systemd's journal collects.
capture_output = True

proc_name = "broadsheet"
# systemd restarts and reloads (HUP) the service; the runtime control socket (gunicorn
# 25+) would only add a file in the service user's home.
control_socket_disable = True
# X-Forwarded-* are the application's to trust (ProxyFix with the counts you configure),
# so gunicorn must not switch the scheme on its own.
secure_scheme_headers = {}


def post_worker_init(worker) -> None:
    """Queued mail is sent from inside the site: every worker offers, one at a time sends."""
    from broadsheet import jobs

    jobs.start_background_sender(worker.wsgi, exclusive=True)
