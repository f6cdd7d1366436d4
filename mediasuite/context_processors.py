from . import version


def navigation(request):
    return {"mediasuite_version": version.current()["version"]}
