"""The seedbox API: torrents, search, batch (torrents.py); Sonarr/Radarr lookup, series, queue (library.py)"""
