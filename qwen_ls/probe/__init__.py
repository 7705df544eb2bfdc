""""Test connection": one cheap, authenticated request to a provider entry's endpoint.

- :mod:`qwen_ls.probe.target` finds the entry (by its place in a settings file, by model id, or
  the current model) and resolves its base URL and key exactly as the CLI would;
- :mod:`qwen_ls.probe.request` knows, per protocol, which request is the cheapest authenticated
  one (the model list) and how to read its answer;
- :mod:`qwen_ls.probe.explain` turns every way it can fail into sentences for the provider at hand;
- :mod:`qwen_ls.probe.run` sends the request (bounded, no redirects) and builds the
  ``ProbeResult`` of ``docs/CONTRACTS.md``;
- :mod:`qwen_ls.probe.cache` keeps the model ids an endpoint listed, for completion.

Nothing here runs by itself: only an explicit user action (a code lens, a palette command,
``qwen-ls model test``) calls :func:`qwen_ls.probe.run.test_connection`.
"""
