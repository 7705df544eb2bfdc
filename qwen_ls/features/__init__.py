"""Pure LSP features: (document, analysis context, offset, client flags) -> lsprotocol values.

One module per feature; none imports pygls, so unit tests call them directly. The server
(:mod:`qwen_ls.server`) only fetches the cached document and context and converts positions.
"""
