"""Self-update of the installation and restart of its service (System page, /api/system/update).

    jobs.py      the domain module: create (one job at a time), transitions, log lines as Events
    updater.py   the steps, run by `manage.py selfupdate <id>` in a process of its own session
    git.py       the checkout: commit, tracked branch, fetch, reset, clean
    backup.py    configuration files and the database, saved and restored
    restart.py   restart methods in order: systemd, init.d, supervisorctl, exit code
"""
