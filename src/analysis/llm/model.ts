/** The default model: the current Sonnet-class model in the SDK's model list (capable, and priced for many bumps). */
export const defaultModel = "claude-sonnet-5-5";
