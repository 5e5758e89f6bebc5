"""The JSON API's resources, one module each, every one with ``build_router(settings)``:
``audits`` (score one policy, read it back, its reports, delete it), ``batch`` (score
several), ``rubrics`` and ``health``. ``api.routes.build_router`` includes them all."""
