"""gunicorn settings shared by every server the bench starts: Broadsheet, bare Flask and Isso.

Passed with -c so that no server picks up a gunicorn.conf.py from its working directory
(Broadsheet's own recycles workers, which would reset the RSS the bench reports).
"""

workers = 2
worker_class = "sync"
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"
