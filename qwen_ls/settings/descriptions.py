"""User-facing descriptions of the Qwen Code settings keys, by dotted path.

Written for qwen-ls in our own words from the CLI's behaviour (see ``qwen-code-facts.md``); the
CLI's key table carries no descriptions. ``tools/gen_settings_model.py`` reads this table to
write :mod:`qwen_ls.settings.models.sections`; keys whose shape is hand-written
(``generationConfig``, ``modelProviders`` entries, MCP servers, hooks) carry their descriptions in
their own model classes. Markdown is allowed; the first sentence should stand on its own.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DESCRIPTIONS"]

_HOOK = "Hooks run {when}. Each entry has an optional `matcher` and a list of `hooks`."

DESCRIPTIONS: Final[dict[str, str]] = {
    # --- metadata keys the CLI writes ----------------------------------------------------
    "$version": "Format version of this file. The CLI writes `4` and rewrites (migrates) files "
    "with a lower or missing version on load.",
    "providerMetadata": "Written by `/auth` and the VS Code companion: which provider presets "
    "(Coding Plan, Token Plan, ...) were installed, with their template version and region.",
    "codingPlan": "Legacy Coding Plan record (CLI 0.15 and older). The CLI moves it to "
    "`providerMetadata[\"coding-plan\"]`.",
    "tokenPlan": "Legacy Token Plan record. The CLI moves it to "
    "`providerMetadata[\"token-plan\"]`.",
    # --- top level -----------------------------------------------------------------------
    "mcpServers": "MCP servers the CLI connects to, by name. Entries from the workspace file "
    "are merged over the user's per name.",
    "channels": "Messaging channels (chat integrations) by name, used by `qwen serve`.",
    "serve": "Settings of the persistent `qwen serve` daemon.",
    "serve.channels": "Channels to start automatically when the daemon starts.",
    "serve.tokenQr": "Show the daemon's access token as a QR code at startup. Honoured only in "
    "user or system settings.",
    "serve.maxConcurrentSubSessionsPerCaller": "How many sub-sessions one session may run at "
    "the same time.",
    "serve.maxConcurrentSubSessionsTotal": "How many sub-sessions may run at the same time "
    "across the whole workspace.",
    "modelProviders": "Models you can use, grouped by provider id. Built-in ids are the auth "
    "types (`openai`, `anthropic`, `gemini`, `vertex-ai`); a custom id also needs a "
    "`providerProtocol` entry. Each entry needs an `id`; `model.name` selects one. A workspace "
    "file replaces the user's list per provider id.",
    "providerProtocol": "Maps a custom `modelProviders` id to the protocol its requests use, "
    "for example `{\"openrouter\": \"openai\"}`. Without a mapping the CLI skips that "
    "provider's models.",
    "plansDirectory": "Folder for approved Plan Mode files, relative to the project root and "
    "inside it. Defaults to `~/.qwen/plans`.",
    "env": "Environment variables the CLI sets at startup when the shell and the `.env` files "
    "do not already define them (lowest priority). Values must be strings; keys stored here "
    "are plain text.",
    "proxy": "Proxy URL for the CLI's HTTP requests. Wins over the proxy env vars; `--proxy` "
    "wins over it.",
    "general": "General behaviour of the CLI.",
    "general.preferredEditor": "Editor used to open files (for example `vscode` or `vim`).",
    "general.outputStyle": "Name of the output style that shapes the assistant's answers.",
    "general.vimMode": "Use Vim key bindings in the prompt input.",
    "general.voice": "Voice dictation in the prompt input.",
    "general.voice.enabled": "Turn on voice dictation.",
    "general.voice.mode": "Push-to-talk behaviour: `hold` records while the key is held; "
    "`tap` starts on a tap and stops on the next tap or a pause.",
    "general.voice.language": "Spoken language for transcription. Empty detects it.",
    "general.voice.keytermsFile": "File of domain terms (one per line) that steer "
    "transcription. Its content is sent to the speech provider.",
    "general.voice.refineTranscript": "Clean up transcripts with the fast model before "
    "inserting them.",
    "general.enableAutoUpdate": "Check for and install updates at startup.",
    "general.showSessionRecap": "Show a one-line recap of where you left off when you come "
    "back to the terminal.",
    "general.sessionRecapAwayThresholdMinutes": "Minutes away from the terminal before a "
    "recap is shown.",
    "general.cleanupPeriodDays": "Days to keep file-history backups and background agent "
    "transcripts. `0` keeps only the last hour.",
    "general.gitCoAuthor": "Attribution on commits and pull requests made through Qwen Code. "
    "`true`/`false` sets both parts (older format).",
    "general.debugKeystrokeLogging": "Log every keystroke to the debug console.",
    "general.language": "Language of the user interface; `auto` follows the system.",
    "general.outputLanguage": "Language the model answers in; `auto` follows your prompt.",
    "general.terminalBell": "Ring the terminal bell when a response is done or needs approval.",
    "general.notificationMode": "Which events notify you while the terminal is in the "
    "background: `all`, or only `task-complete`.",
    "general.preventSystemSleep": "Keep the computer awake while the model or tools are "
    "working.",
    "general.chatRecording": "Save chat history to disk. Without it, `--continue` and "
    "`--resume` do not work.",
    "general.defaultFileEncoding": "Encoding of new files: `utf-8`, or `utf-8-bom` with a byte "
    "order mark.",
    "review": "Settings of the `/review` command.",
    "review.attribution": "Add a Qwen Code attribution to review comments.",
    "review.sandbox": "Run review checks in a sandbox: `off`, `auto`, or `required`.",
    "review.effort": "How thorough the review is.",
    "review.comment": "Post the review as comments on the pull request.",
    "review.severityFloor": "Lowest severity that is reported.",
    "review.reverseAuditRounds": "Extra rounds that re-check the review's own findings.",
    "review.approachRounds": "Extra rounds that question the overall approach of the change.",
    "output": "Output of the CLI in non-interactive runs.",
    "output.format": "Output format: `text`, `json` or `stream-json`.",
    "output.showTimestamps": "Show `[HH:MM:SS]` before each answer.",
    "dualOutput": "Also write structured JSON events to a second channel while the terminal UI "
    "runs. Command-line flags win.",
    "dualOutput.jsonFile": "File that receives the JSON events (`--json-file`).",
    "dualOutput.inputFile": "File the CLI reads remote input commands from, as JSON lines "
    "(`--input-file`).",
    "ui": "Look and behaviour of the terminal UI.",
    "ui.theme": "Colour theme.",
    "ui.brand": "Custom branding of the banner.",
    "ui.brand.name": "Product name shown instead of Qwen Code.",
    "ui.brand.logoPath": "Image file used as the logo.",
    "ui.autoModeAcknowledged": "Set by the CLI once you have seen the notice about the `auto` "
    "approval mode.",
    "ui.statusLine": "Footer status line: `{\"type\": \"preset\", ...}` or "
    "`{\"type\": \"command\", \"command\": ...}`. `null` turns it off.",
    "ui.customThemes": "Your own colour themes, by name.",
    "ui.hideBuiltinWorktreeIndicator": "Hide the worktree line in the footer (when your status "
    "line shows it).",
    "ui.hideWindowTitle": "Do not set the terminal window title.",
    "ui.disableWorkflowKeywordTrigger": "Stop the word `workflow` in a prompt from steering "
    "the turn toward the Workflow tool.",
    "ui.showStatusInTitle": "Show the session name and status in the terminal title.",
    "ui.hideTips": "Hide tips in the UI.",
    "ui.history": "How restored history is shown.",
    "ui.history.collapseOnResume": "Collapse the history when resuming a session.",
    "ui.history.collapsePreviewCount": "User turns left visible when history is collapsed; `0` "
    "collapses all, `-1` shows all.",
    "ui.showLineNumbers": "Show line numbers in code output.",
    "ui.renderMode": "Markdown display: `render` (formatted) or `raw` (source).",
    "ui.showCitations": "Show citations for generated text.",
    "ui.customWittyPhrases": "Your own phrases shown while the model is working.",
    "ui.showResponseTokensPerSecond": "Show a live tokens-per-second figure while streaming.",
    "ui.enableWelcomeBack": "Offer to continue when you return to a project with history.",
    "ui.enableUserFeedback": "Ask for optional feedback after conversations.",
    "ui.enableFollowupSuggestions": "Suggest follow-up prompts after a task is done.",
    "ui.enableCacheSharing": "Generate suggestions with cache-aware forked requests, which is "
    "cheaper on providers with prefix caching.",
    "ui.enableSpeculation": "Start running an accepted suggestion before you submit it "
    "(experimental).",
    "ui.accessibility": "Accessibility options.",
    "ui.accessibility.enableLoadingPhrases": "Show phrases while loading; turn off for screen "
    "readers.",
    "ui.accessibility.screenReader": "Plain-text output that works better with screen readers.",
    "ui.feedbackLastShownTimestamp": "Set by the CLI: when the feedback dialog was last shown.",
    "ui.compactMode": "Compact view (web shell only).",
    "ui.useTerminalBuffer": "Draw the conversation in a scrollable in-app viewport instead of "
    "the terminal's scrollback.",
    "ui.showScrollbar": "Show the auto-hiding scrollbar of the in-app viewport.",
    "ui.mouseTracking": "Capture the mouse for selection, clicks and scrolling. Turn off to get "
    "the terminal's own right-click menu and link clicks back.",
    "ui.showToolCallDetails": "Show details of each tool call.",
    "ui.showToolCallArgs": "Show the arguments of each tool call.",
    "ui.shellOutputMaxLines": "Shell output lines shown inline; `0` shows everything.",
    "ui.hideBanner": "Hide the startup banner and info panel.",
    "ui.customBannerTitle": "Title shown in the banner instead of the default.",
    "ui.customBannerSubtitle": "Subtitle line shown under the banner title.",
    "ui.customAsciiArt": "Replace the banner art: inline text, `{\"path\": ...}`, or "
    "`{\"small\": ..., \"large\": ...}` by terminal width.",
    "ide": "Integration with your editor.",
    "ide.enabled": "Connect to the editor (open files, selection, diffs).",
    "ide.hasSeenNudge": "Set by the CLI once it has suggested the IDE integration.",
    "privacy": "Privacy options.",
    "privacy.usageStatisticsEnabled": "Send anonymous usage statistics.",
    "telemetry": "OpenTelemetry export of traces, logs and metrics.",
    "outboundCorrelation": "Correlation data (trace context, session ids) written into "
    "requests to model providers. All off by default.",
    "fastModel": "Model for suggestions and other quick side tasks: `\"<id>\"` or "
    "`\"<authType>:<id>\"`. Empty uses the main model.",
    "advisorModel": "Model consulted as an advisor: `\"<id>\"` or `\"<authType>:<id>\"`. Empty "
    "turns the advisor off.",
    "visionModel": "Image-capable model that describes images for a text-only main model. "
    "Empty picks one from the same provider.",
    "compactionModel": "Model used to compress long conversations. Empty uses the main model.",
    "imageModel": "Model used by the image generation tool; it must be marked `imageOnly`.",
    "visionBridgeTimeoutMs": "Time limit in milliseconds for each image description call. "
    "Unset uses 30 s.",
    "modelFallbacks": "Up to three comma-separated model ids to try when the main model is "
    "overloaded (429/503/529).",
    "voiceModel": "Model used for voice transcription. Empty keeps dictation off.",
    "model": "The main model and how conversations with it run.",
    "model.name": "Model to use: the `id` of a `modelProviders` entry for the selected auth "
    "type. If no entry has this id, the CLI silently uses another model or endpoint.",
    "model.baseUrl": "Base URL that, with `model.name`, picks one entry when several share an "
    "id. Written by `/model`.",
    "model.reasoningEffort": "How hard reasoning models think, for every provider (`/effort`). "
    "Unset uses the model's default.",
    "model.maxSessionTurns": "Most turns kept in a session; `-1` means no limit.",
    "model.maxWallTimeSeconds": "Time budget in seconds for unattended runs; `-1` means no "
    "limit.",
    "model.goalTokenBudget": "Token budget for a `/goal` run.",
    "model.goalMaxTurns": "Most turns a `/goal` run may take; `-1` means no limit.",
    "model.goalMaxActiveMinutes": "Most active minutes a `/goal` run may take; `-1` means no "
    "limit.",
    "model.goalCheckpointTimeoutSeconds": "Time limit in seconds for each `/goal` checkpoint.",
    "model.maxToolCalls": "Tool-call budget for a run; `-1` means no limit, `0` allows none.",
    "model.maxSubagentDepth": "How deep sub-agents may nest.",
    "model.chatCompression": "When the conversation history is compressed.",
    "model.sessionTokenLimit": "Most tokens allowed in a session.",
    "model.skipNextSpeakerCheck": "Skip the check that decides whether the model should "
    "continue speaking.",
    "model.skipWorkflowUsageWarning": "Hide the one-time Workflow tool usage notice.",
    "model.skipLoopDetection": "Skip the optional loop-detection heuristics. A basic guard "
    "always runs.",
    "model.maxToolCallsPerTurn": "Tool-call cap per turn; `0` or less turns it off.",
    "model.skipStartupContext": "Do not send the workspace overview at the start of a session.",
    "model.enableOpenAILogging": "Log requests and responses of OpenAI-compatible APIs to "
    "files.",
    "model.openAILoggingDir": "Folder for those logs. Defaults to `logs/openai` in the current "
    "folder.",
    "model.openAILogRetentionDays": "Days to keep those logs.",
    "model.generationConfig": "Request options for runtime models (models not listed in "
    "`modelProviders`). A provider model uses only its own `generationConfig`; fields here "
    "are ignored for it.",
    "modelPricing": "Prices per model for the cost estimate in `/stats model`, for example "
    "`{\"qwen3-coder\": {\"inputPerMillionTokens\": 0.3, \"outputPerMillionTokens\": 1.2}}`.",
    "context": "What context is given to the model.",
    "context.fileName": "Name of the context (memory) file, or a list of names.",
    "context.importFormat": "How imported memory files are laid out: `tree` or `flat`.",
    "context.includeDirectories": "More folders to include in the workspace context. Lists of "
    "all scopes are joined.",
    "context.loadFromIncludeDirectories": "Also load memory files from those folders.",
    "context.clearContextOnIdle": "Clearing of old tool results. `-1` turns a threshold off.",
    "context.clearContextOnIdle.toolResultsThresholdMinutes": "Idle minutes after which old "
    "tool results are cleared.",
    "context.clearContextOnIdle.toolResultsNumToKeep": "Most recent tool results that are "
    "always kept.",
    "context.clearContextOnIdle.toolResultsTotalCharsThreshold": "Total characters of tool "
    "output kept before the oldest results are cleared.",
    "context.fileFiltering": "Which files searches and `@` references see.",
    "context.fileFiltering.respectGitIgnore": "Skip files ignored by `.gitignore`.",
    "context.fileFiltering.respectQwenIgnore": "Skip files ignored by `.qwenignore` and the "
    "custom ignore files.",
    "context.fileFiltering.customIgnoreFiles": "Ignore files, relative to the project root, "
    "used besides `.qwenignore`.",
    "context.fileFiltering.enableRecursiveFileSearch": "Search sub-folders when completing "
    "file references.",
    "context.fileFiltering.enableFuzzySearch": "Use fuzzy matching when searching for files.",
    "context.autoCompactThreshold": "Fraction of the context window at which the conversation "
    "is compacted automatically.",
    "memory": "Automatic memory.",
    "memory.enableManagedAutoMemory": "Extract memories from conversations in the background.",
    "memory.enableManagedAutoDream": "Consolidate collected memories automatically.",
    "memory.enableAutoSkill": "Propose reusable project skills after tool-heavy sessions.",
    "memory.autoSkillConfirm": "Ask before adding an automatically written skill.",
    "memory.agentTimeoutMinutes": "Time limit in minutes for background memory agents; `0` "
    "means none.",
    "memory.agentMaxTurns": "Turn limit for background memory agents; `0` means none.",
    "memory.enableTeamMemory": "Share a project memory through the git-tracked "
    "`.qwen/team-memory/` folder.",
    "memory.enableTeamMemorySync": "Commit, pull and push the team memory at session start.",
    "slashCommands": "Which slash commands are available.",
    "slashCommands.disabled": "Slash commands to hide and refuse. Lists of all scopes are "
    "united.",
    "skills": "Which skills (SKILL.md) the model can use.",
    "skills.disabledLevels": "Skill sources to skip: `project`, `user`, `extension`, "
    "`bundled`.",
    "skills.disabled": "Skills to hide, by name. Lists of all scopes are united.",
    "skills.defaultDisabled": "Skills off unless listed in `skills.enabled`.",
    "skills.enabled": "Skills turned on although `skills.defaultDisabled` lists them.",
    "skills.directories": "More folders to scan for skills. Point only at trusted folders.",
    "permissions": "Rules for tool use: `deny` wins over `ask`, which wins over `allow`. "
    "Lists of all scopes are united.",
    "permissions.allow": "Tools or commands run without asking, for example "
    "`\"Bash(git *)\"`.",
    "permissions.ask": "Tools or commands that always ask first.",
    "permissions.deny": "Tools or commands that are always blocked.",
    "permissions.autoMode": "The classifier behind the `auto` approval mode.",
    "permissions.autoMode.classifier": "Runtime options of the classifier.",
    "permissions.autoMode.classifier.timeouts": "Time limits of the two classifier stages.",
    "permissions.autoMode.classifier.timeouts.stage1Ms": "Time limit in milliseconds for the "
    "fast first stage.",
    "permissions.autoMode.classifier.timeouts.stage2Ms": "Time limit in milliseconds for the "
    "second stage.",
    "permissions.autoMode.classifier.thinking": "Thinking in the classifier.",
    "permissions.autoMode.classifier.thinking.stage2Enabled": "Let the second stage think.",
    "permissions.autoMode.hints": "Plain-language hints for the classifier.",
    "permissions.autoMode.hints.allow": "Actions the classifier should allow.",
    "permissions.autoMode.hints.softDeny": "Destructive actions blocked unless you asked for "
    "exactly that.",
    "permissions.autoMode.hints.hardDeny": "Actions always blocked.",
    "permissions.autoMode.hints.deny": "Old name of `softDeny`.",
    "permissions.autoMode.environment": "Lines describing your environment for the classifier.",
    "permissions.autoMode.classifyAllShell": "Send every shell command to the classifier, even "
    "read-only ones.",
    "permissions.autoMode.mcp": "MCP tool calls in the classifier.",
    "permissions.autoMode.mcp.forwardArguments": "Show MCP tool arguments to the classifier.",
    "tools": "Built-in and custom tools.",
    "tools.executionSandbox": "Sandbox for tool execution (Linux): exactly `filesystem`, "
    "`network` and optionally `backend`, as literal values. Anything else stops the CLI. "
    "Honoured only in user or system settings.",
    "tools.codeModeOnly": "Offer only the code-mode tool set.",
    "tools.sandbox": "Run tools in a container sandbox: `true`, `false`, or a command "
    "(`docker`, `podman`).",
    "tools.sandboxImage": "Container image for the sandbox.",
    "tools.webSearch": "The built-in web search tool (off unless enabled and given a model).",
    "tools.webSearch.enabled": "Turn the web search tool on. It also needs "
    "`tools.webSearch.model`.",
    "tools.webSearch.model": "Model that runs searches, as `\"<id>\"` or "
    "`\"<authType>:<id>\"`.",
    "tools.webSearch.webExtractor": "Let the search open and read result pages.",
    "tools.webSearch.timeoutMs": "Time limit in milliseconds per search.",
    "tools.webSearch.maxPerSession": "Most searches per session.",
    "tools.toolSearch": "Loading MCP and deferred tools on demand.",
    "tools.toolSearch.enabled": "Load MCP tools on demand to keep prompts small. Turn off for "
    "models that rely on a stable prompt prefix for caching.",
    "tools.toolSearch.threshold": "Percent of the context window under which all deferred "
    "tools are declared up front; `0` always loads on demand.",
    "tools.listDirectory": "The directory listing tool.",
    "tools.listDirectory.enabled": "Offer the directory listing tool.",
    "tools.todoWrite": "The to-do list tool.",
    "tools.todoWrite.enabled": "Offer the to-do list tool.",
    "tools.shell": "The shell tool.",
    "tools.shell.enableInteractiveShell": "Run commands in a pseudo-terminal (node-pty).",
    "tools.shell.pager": "Pager for shell output; empty turns the pager env vars off.",
    "tools.shell.showColor": "Keep colours in shell output.",
    "tools.shell.defaultTimeoutMs": "Time limit in milliseconds for foreground commands; `0` "
    "means none. Unset uses 2 minutes.",
    "tools.shell.heartbeatIntervalMs": "Interval in milliseconds of liveness messages while a "
    "command is silent; `0` turns them off.",
    "tools.core": "Old allow-list of tools. Use `permissions.allow`.",
    "tools.allowed": "Old list of tools run without asking. Use `permissions.allow`.",
    "tools.exclude": "Old list of blocked tools. Use `permissions.deny`.",
    "tools.disabled": "Tools not registered at all.",
    "tools.visible": "Deferred tools shown from the start without tool search.",
    "tools.eager": "Tools loaded eagerly at startup.",
    "tools.approvalMode": "How tool calls are approved: `plan`, `default`, `auto-edit`, `auto` "
    "or `yolo`.",
    "tools.autoAccept": "Run tool calls considered safe (read-only) without asking.",
    "tools.discoveryCommand": "Command that prints the definitions of custom tools.",
    "tools.callCommand": "Command that runs a custom tool.",
    "tools.useRipgrep": "Search file contents with ripgrep.",
    "tools.useBuiltinRipgrep": "Use the bundled ripgrep instead of the system `rg`.",
    "tools.workflowsEnabled": "Turn on the Workflow tool. Honoured only in user or system "
    "settings.",
    "tools.workflowSizeGuideline": "Size guideline given to the Workflow tool.",
    "tools.workflowNameOnly": "Let workflows be started by name only. A workspace may only "
    "tighten it.",
    "tools.truncateToolOutputThreshold": "Truncate tool output longer than this many "
    "characters; `-1` never truncates.",
    "tools.truncateToolOutputLines": "Lines kept when tool output is truncated.",
    "tools.toolOutputBatchBudget": "Characters of output allowed per batch of tool calls; `-1` "
    "means no limit.",
    "policy": "How a shared `qwen serve` daemon settles decisions between clients.",
    "policy.permissionStrategy": "Who answers permission requests when several clients are "
    "attached.",
    "policy.consensusQuorum": "Votes needed under the `consensus` strategy.",
    "mcp": "Global MCP options.",
    "mcp.serverCommand": "Command that starts an MCP server.",
    "mcp.allowed": "MCP servers allowed; glob patterns work. Lists of all scopes are joined.",
    "mcp.excluded": "MCP servers excluded; wins over `mcp.allowed`.",
    "mcp.toolIdleTimeoutMs": "Abort an MCP tool call after this many milliseconds without "
    "progress.",
    "security": "Security and sign-in.",
    "security.folderTrust": "Folder trust.",
    "security.folderTrust.enabled": "Ask whether to trust a folder; untrusted folders' "
    "workspace settings are ignored. Off means every folder is trusted.",
    "security.auth": "How the CLI signs in.",
    "security.auth.selectedType": "Auth type used at startup: `openai`, `anthropic`, `gemini`, "
    "`vertex-ai`, `openai-responses` or `qwen-oauth` (discontinued). Any other value makes "
    "the CLI crash at startup.",
    "security.auth.enforcedType": "Auth type that must be used; a different active type asks "
    "you to sign in again.",
    "security.auth.useExternal": "Use an external sign-in flow and skip the CLI's checks.",
    "security.auth.apiKey": "API key for OpenAI-compatible models, used only when nothing else "
    "provides one.",
    "security.auth.baseUrl": "Base URL for OpenAI-compatible models, used only when nothing "
    "else provides one.",
    "security.allowedHttpHookUrls": "URL patterns HTTP hooks may call (`*` wildcard). Empty "
    "allows all.",
    "security.allowPrivateNetworkHooks": "Let HTTP hooks reach private network addresses. "
    "Honoured only in user or system settings.",
    "security.allowedInsecureVoiceBaseUrls": "Voice endpoints allowed over plain HTTP or on "
    "private addresses. Honoured only in user or system settings.",
    "advanced": "Advanced options.",
    "advanced.autoConfigureMemory": "Set Node.js memory limits automatically.",
    "advanced.dnsResolutionOrder": "DNS resolution order: `ipv4first` or `verbatim`.",
    "advanced.excludedEnvVars": "Variables never loaded from a project `.env` file.",
    "advanced.bugCommand": "The `/bug` command.",
    "advanced.runtimeOutputDir": "Folder for runtime output (temporary files, logs, session "
    "data). `QWEN_RUNTIME_DIR` wins.",
    "goals": "The `/goal` feature.",
    "goals.modelProposed": "Whether the model may propose goals: `alwaysAsk` or `disabled`. "
    "Honoured only in user or system settings.",
    "agents": "Sub-agents and multi-agent features.",
    "agents.builtin": "Built-in sub-agents.",
    "agents.builtin.exploreModel": "Model of the Explore sub-agent: `inherit`, `fast`, a model "
    "id or `\"<authType>:<id>\"`.",
    "agents.crossSessionMessaging": "Let sessions send messages to each other.",
    "agents.crossSessionInbound": "What happens to messages from other sessions: `accept`, "
    "`hold` or `refuse`.",
    "agents.crossSessionHeldExpiry": "How long held messages are kept.",
    "agents.modelGrades": "Grade names the Agent tool may use, mapped to model selectors.",
    "agents.allowedGrades": "Grades the Agent tool may use.",
    "agents.maxParallelAgents": "Most background sub-agents running at the same time.",
    "agents.maxParallelAgentsByModel": "The same limit per model id.",
    "agents.displayMode": "Display of multi-agent sessions.",
    "agents.arena": "Arena: several models working on the same task.",
    "agents.arena.worktreeBaseDir": "Folder for Arena worktrees. Defaults to `~/.qwen/arena`.",
    "agents.arena.preserveArtifacts": "Keep Arena worktrees and state after the session.",
    "agents.arena.maxRoundsPerAgent": "Most rounds per agent.",
    "agents.arena.timeoutSeconds": "Time limit in seconds for the Arena session.",
    "agents.team": "Agent Team options (reserved).",
    "agents.swarm": "Agent Swarm options (reserved).",
    "disableAllHooks": "Turn every hook off without deleting it.",
    "stopHookBlockingCap": "Most consecutive blocking Stop hook decisions before the CLI ends "
    "the turn anyway.",
    "hooks": "Commands or HTTP calls run at lifecycle events. Lists of all scopes are joined.",
    "hooks.UserPromptSubmit": _HOOK.format(when="when you submit a prompt, before the model "
                                           "sees it"),
    "hooks.UserPromptExpansion": _HOOK.format(when="when a prompt is expanded"),
    "hooks.Stop": _HOOK.format(when="when the model is about to stop"),
    "hooks.StopFailure": _HOOK.format(when="when a turn ends with an error"),
    "hooks.MessageDisplay": _HOOK.format(when="when a message is displayed"),
    "hooks.Notification": _HOOK.format(when="when the CLI sends a notification"),
    "hooks.PreToolUse": _HOOK.format(when="before a tool runs"),
    "hooks.PostToolUse": _HOOK.format(when="after a tool succeeds"),
    "hooks.PostToolUseFailure": _HOOK.format(when="after a tool fails"),
    "hooks.PostToolBatch": _HOOK.format(when="after a batch of tool calls"),
    "hooks.SessionStart": _HOOK.format(when="when a session starts"),
    "hooks.SessionEnd": _HOOK.format(when="when a session ends"),
    "hooks.SessionDelete": _HOOK.format(when="when a session is deleted"),
    "hooks.PreCompact": _HOOK.format(when="before the conversation is compacted"),
    "hooks.SubagentStart": _HOOK.format(when="when a sub-agent starts"),
    "hooks.SubagentStop": _HOOK.format(when="when a sub-agent stops"),
    "hooks.PermissionRequest": _HOOK.format(when="when a tool asks for permission"),
    "hooks.PostCompact": _HOOK.format(when="after the conversation is compacted"),
    "hooks.PermissionDenied": _HOOK.format(when="when a permission is denied"),
    "hooks.TodoCreated": _HOOK.format(when="when a to-do item is created"),
    "hooks.TodoCompleted": _HOOK.format(when="when a to-do item is completed"),
    "hooks.InstructionsLoaded": _HOOK.format(when="when instruction files are loaded"),
    "experimental": "Experimental features; they may change or go away.",
    "experimental.liveVoice": "Live voice conversation.",
    "experimental.liveVoice.enabled": "Turn live voice on.",
    "experimental.liveVoice.apiKey": "API key for the realtime voice endpoint. Prefer an env "
    "var reference.",
    "experimental.liveVoice.model": "Realtime model.",
    "experimental.liveVoice.endpoint": "WebSocket endpoint of the realtime API.",
    "experimental.liveVoice.voice": "Voice used for answers.",
    "experimental.liveVoice.shortcut": "Key combination that starts live voice.",
    "experimental.sessionWorkflow": "Session workflows.",
    "experimental.cron": "Scheduled (cron) prompts.",
    "experimental.todoStopGuard": "Keep the model going while to-do items are open.",
    "experimental.sessionWriterLease": "Let only one process write a session at a time.",
    "experimental.cronRecurringMaxAgeDays": "Days after which recurring scheduled prompts "
    "expire.",
    "experimental.agentTeam": "Agent teams.",
    "experimental.artifact": "Artifacts (files the model publishes for you to open).",
    "experimental.emitToolUseSummaries": "Emit short summaries of tool use.",
    "artifact": "Publishing of artifacts.",
    "artifact.autoOpen": "Open artifacts when they are published.",
    "artifact.publisher": "Where artifacts are published: `local`, `host` or `oss`.",
    "artifact.host": "Publishing through your own upload command.",
    "artifact.host.uploadCommand": "Command that uploads an artifact.",
    "artifact.host.urlTemplate": "URL template of uploaded artifacts.",
    "artifact.host.keyPrefix": "Prefix of uploaded artifact keys.",
    "artifact.oss": "Publishing to Alibaba Cloud OSS.",
    "artifact.oss.bucket": "OSS bucket.",
    "artifact.oss.endpoint": "OSS endpoint.",
    "artifact.oss.keyPrefix": "Prefix of object keys.",
    "artifact.oss.acl": "Access control of uploaded objects.",
    "artifact.oss.publicBaseUrl": "Public base URL of the bucket.",
    "worktree": "Git worktrees the CLI creates.",
    "worktree.symlinkDirectories": "Folders linked into new worktrees instead of copied (for "
    "example `node_modules`).",
    "omni": "Omni media processing (images, audio, video, documents).",
    "omni.enabled": "Turn omni processing on.",
    "omni.processing": "Processing of media.",
    "omni.processing.limits": "Limits of media processing.",
    "omni.processing.limits.maxConcurrentResources": "Media resources processed at the same "
    "time.",
    "omni.processing.limits.reservedOutputTokens": "Tokens kept free for the answer.",
    "omni.processing.limits.maxLineageDepth": "How many times derived media may be derived "
    "again.",
    "omni.processing.limits.maxPolicyRunsPerRoot": "Most policy runs per original resource.",
    "omni.processing.limits.maxArtifactsPerRoot": "Most derived artifacts per original "
    "resource.",
    "omni.processing.limits.maxDerivedBytesPerRoot": "Most bytes derived per original resource.",
    "omni.processing.limits.maxTransportPasses": "Most transport passes per resource.",
    "omni.processing.fixedPolicies": "Fixed processing policies, by name.",
    "omni.processing.transportGuard": "Limits on media sent to the model.",
    "omni.processing.transportGuard.maxUploadFileBytes": "Largest file uploaded, in bytes.",
    "omni.processing.transportGuard.maxEstimatedTokens": "Most estimated tokens per media item; "
    "`0` means no limit.",
    "omni.processing.transportGuard.maxDurationSeconds": "Longest audio or video, in seconds; "
    "`0` means no limit.",
    "omni.processing.transportGuard.policies": "Transport policies, by name.",
    "omni.processing.policyTools": "Tools available to processing policies, by name.",
    "omni.delivery": "Delivery of media to the model.",
    "omni.delivery.upload": "Upload of media to a file service.",
    "omni.delivery.upload.baseUrl": "Base URL of the upload service.",
    "omni.delivery.upload.apiKeyEnv": "Name of the env var that holds the upload API key.",
    "omni.delivery.upload.model": "Model the uploads are meant for.",
    "omni.delivery.upload.urlTtlHours": "Hours an upload URL stays valid.",
    "omni.ingestion": "Reading of media into a session.",
    "omni.ingestion.localization": "Copying remote media locally.",
    "omni.ingestion.localization.url": "Media given by URL.",
    "omni.ingestion.localization.url.maxFileBytes": "Largest file fetched from a URL; `0` means "
    "no limit.",
    "omni.storage": "Local storage of media.",
    "omni.storage.retentionDays": "Days media is kept.",
    "omni.storage.maxTotalBytes": "Most bytes stored.",
    "omni.storage.quarantine": "Quarantined media.",
    "omni.storage.quarantine.retentionDays": "Days quarantined media is kept.",
    "omni.storage.quarantine.maxBytes": "Most bytes kept in quarantine.",
    "omni.memory": "What the model remembers about media.",
    "omni.memory.collection": "Collecting media memory.",
    "omni.memory.collection.maxInlineTextBytes": "Largest text stored inline, in bytes.",
    "omni.memory.recall": "Recalling media memory.",
    "omni.memory.recall.mode": "`active` (the model looks things up) or `sideQuery` (a side "
    "model picks entries).",
    "omni.memory.recall.maxEntries": "Most entries recalled.",
    "omni.memory.recall.maxTextChars": "Most characters of recalled text.",
    "omni.memory.recall.kinds": "Kinds of entries that can be recalled.",
    "omni.memory.recall.includeHistoricalVersions": "Also recall older versions of entries.",
    "omni.memory.recall.active": "Active recall.",
    "omni.memory.recall.active.maxFilesPerCall": "Most files per recall call.",
    "omni.memory.recall.sideQuery": "Side-query recall.",
    "omni.memory.recall.sideQuery.model": "Model that selects entries; `null` uses the default.",
    "omni.memory.recall.sideQuery.timeoutMs": "Time limit in milliseconds.",
    "omni.memory.recall.sideQuery.maxCandidateEntries": "Entries offered to the side model.",
    "omni.memory.recall.sideQuery.maxSelectedEntries": "Entries it may select.",
    "omni.memory.recall.sideQuery.maxAttempts": "Attempts before giving up.",
}
