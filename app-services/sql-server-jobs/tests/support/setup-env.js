// The pinned AWS SDK supports Node 20 but warns on every run that later releases need Node 22;
// the container image switches the notice off the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
