import { LOG_CLASSES } from '../../environments/schema/logging';
import { FILEBEAT_LOGSTASH_TLS, LOGSTASH_BEATS_TLS, filebeatConfig, logstashPipelines } from '../../constructs/log-pipelines';
import { logstashEnvironmentVariable, logstashFieldReference, logstashRegex, logstashString } from '../../constructs/logstash-syntax';
import { LOGSTASH_BEATS_PORT } from '../../constructs/logging-names';
import { ENVIRONMENTS } from '../support/environments';

// The whole pipeline of one site, as Logstash reads it (backslashes and `${` escaped for the
// template literal only). Logstash cannot run here; log-classification.test.ts evaluates the
// rules this text is rendered from on real lines.
const PRODUCTION_LUSAKA = `# Generated from constructs/log-classification.ts: edit the rules there, not this text.
input {
  beats {
    port => 5044
    ssl_enabled => true
    ssl_certificate => "/usr/share/logstash/beats-tls/tls.crt"
    ssl_key => "/usr/share/logstash/beats-tls/tls.key"
    ssl_certificate_authorities => ["/usr/share/logstash/beats-tls/ca.crt"]
    ssl_client_authentication => "required"
  }
}
filter {
  # A blank line carries nothing.
  if ![message] or [message] =~ /^\\s*$/ {
    drop {}
  }
  # A JSON object line is decoded into [json]; any other line stays as written in [message].
  if [message] =~ /^\\s*\\{/ {
    json { source => "message" target => "json" skip_on_invalid_json => true }
  }
  if (([kubernetes][namespace] == "lms-security") and ([kubernetes][container][name] == "vault")) and ([json][type] in ["request", "response"]) and ([json][request]) {
    # audit: Vault's audit log: every request and response, secrets HMAC'd
    mutate { replace => { "[@metadata][log_class]" => "audit" "[event][dataset]" => "lms.audit" } }
  } else if (([kubernetes][namespace] == "lms-apps") and ([kubernetes][container][name] == "loan-service")) and ([json][audit]) {
    # audit: The loan-service's audit lines: who changed which record, before and after
    mutate { replace => { "[@metadata][log_class]" => "audit" "[event][dataset]" => "lms.audit" } }
  } else if ([kubernetes][namespace] == "lms-security") and ([kubernetes][container][name] == "vault") {
    # security: Vault's server log: authentication, seal and unseal, leadership
    mutate { replace => { "[@metadata][log_class]" => "security" "[event][dataset]" => "lms.security" } }
  } else if (([kubernetes][namespace] == "lms-platform") and ([kubernetes][container][name] == "traefik")) and ([json][DownstreamStatus] in [401, 403]) {
    # security: Requests the ingress refused as unauthenticated or forbidden
    mutate { replace => { "[@metadata][log_class]" => "security" "[event][dataset]" => "lms.security" } }
  } else if ([kubernetes][namespace] == "lms-apps") and ([kubernetes][container][name] == "loan-service") {
    # application: The loan-service's own log: requests, start-up, errors
    mutate { replace => { "[@metadata][log_class]" => "application" "[event][dataset]" => "lms.application" } }
  } else {
    # system: everything else the site's containers write
    mutate { replace => { "[@metadata][log_class]" => "system" "[event][dataset]" => "lms.system" } }
  }
  # National ids (NRC numbers) are masked outside audit, in the line and in what was decoded from it.
  if [@metadata][log_class] != "audit" and [message] =~ /(?<![0-9])[0-9]{6}(\\/|%2[Ff])[0-9]{2}(\\/|%2[Ff])[0-9](?![0-9])/ {
    mutate { gsub => ["message", "(?<![0-9])[0-9]{6}(/|%2[Ff])[0-9]{2}(/|%2[Ff])[0-9](?![0-9])", "******/**/*"] }
    if [json] {
      mutate { remove_field => ["[json]"] }
      json { source => "message" target => "json" skip_on_invalid_json => true }
    }
  }
  mutate { replace => { "[site]" => "lusaka" } }
}
output {
  if [@metadata][log_class] == "application" {
    elasticsearch {
      hosts => ["\${LMS_ES_HOSTS}"]
      user => "\${LMS_ES_USER}"
      password => "\${LMS_ES_PASSWORD}"
      ssl_enabled => true
      ssl_certificate_authorities => ["\${LMS_ES_SSL_CERTIFICATE_AUTHORITY}"]
      data_stream => "true"
      data_stream_type => "logs"
      data_stream_dataset => "lms.application"
      data_stream_namespace => "production"
      data_stream_auto_routing => false
    }
  } else if [@metadata][log_class] == "security" {
    elasticsearch {
      hosts => ["\${LMS_ES_HOSTS}"]
      user => "\${LMS_ES_USER}"
      password => "\${LMS_ES_PASSWORD}"
      ssl_enabled => true
      ssl_certificate_authorities => ["\${LMS_ES_SSL_CERTIFICATE_AUTHORITY}"]
      data_stream => "true"
      data_stream_type => "logs"
      data_stream_dataset => "lms.security"
      data_stream_namespace => "production"
      data_stream_auto_routing => false
    }
  } else if [@metadata][log_class] == "audit" {
    elasticsearch {
      hosts => ["\${LMS_ES_HOSTS}"]
      user => "\${LMS_ES_USER}"
      password => "\${LMS_ES_PASSWORD}"
      ssl_enabled => true
      ssl_certificate_authorities => ["\${LMS_ES_SSL_CERTIFICATE_AUTHORITY}"]
      data_stream => "true"
      data_stream_type => "logs"
      data_stream_dataset => "lms.audit"
      data_stream_namespace => "production"
      data_stream_auto_routing => false
    }
  } else {
    elasticsearch {
      hosts => ["\${LMS_ES_HOSTS}"]
      user => "\${LMS_ES_USER}"
      password => "\${LMS_ES_PASSWORD}"
      ssl_enabled => true
      ssl_certificate_authorities => ["\${LMS_ES_SSL_CERTIFICATE_AUTHORITY}"]
      data_stream => "true"
      data_stream_type => "logs"
      data_stream_dataset => "lms.system"
      data_stream_namespace => "production"
      data_stream_auto_routing => false
    }
  }
}
`;

describe('logstashPipelines', () => {
  test('renders the pipeline of production at lusaka', () => {
    expect(logstashPipelines({ environmentName: 'production', siteName: 'lusaka' })).toEqual([{ pipelineId: 'lms-logs', config: PRODUCTION_LUSAKA }]);
  });

  test.each(ENVIRONMENTS.flatMap((environment) => Object.keys(environment.sites).map((site) => [environment.name, site])))('%s at %s differs only in its namespace and site', (environmentName, siteName) => {
    const [pipeline] = logstashPipelines({ environmentName, siteName });
    expect(pipeline.config).toBe(PRODUCTION_LUSAKA.replace(/data_stream_namespace => "production"/g, `data_stream_namespace => "${environmentName}"`).replace('"[site]" => "lusaka"', `"[site]" => "${siteName}"`));
  });

  test('writes each class to its own data stream, every class once, system last as the catch-all', () => {
    const config = logstashPipelines({ environmentName: 'staging', siteName: 'kitwe' })[0].config;
    const datasets = [...config.matchAll(/data_stream_dataset => "([^"]+)"/g)].map((match) => match[1]);
    expect(datasets).toEqual(['lms.application', 'lms.security', 'lms.audit', 'lms.system']);
    expect([...datasets].sort()).toEqual(LOG_CLASSES.map((logClass) => `lms.${logClass}`).sort());
    expect(config).toContain(`    port => ${LOGSTASH_BEATS_PORT}\n`);
    expect(config).toContain(`    ssl_key => "${LOGSTASH_BEATS_TLS.key}"\n`);
  });

  test.each([
    ['environmentName', { environmentName: 'prod-1', siteName: 'lusaka' }, 'logstashPipelines: environmentName: "prod-1" is not allowed (allowed: lower-case letters, digits and "_" (a data stream namespace has no "-"), e.g. "production")'],
    ['environmentName', { environmentName: 'production" } output { stdout {} } #', siteName: 'lusaka' }, 'logstashPipelines: environmentName: "production\\" } output { stdout {} } #" is not allowed'],
    ['siteName', { environmentName: 'production', siteName: 'lusaka"\n}' }, 'logstashPipelines: siteName: "lusaka\\"\\n}" is not allowed (allowed: a lower-case site name (a DNS label), e.g. "lusaka")'],
    ['siteName', { environmentName: 'production', siteName: '${LMS_ES_PASSWORD}' }, 'logstashPipelines: siteName: "${LMS_ES_PASSWORD}" is not allowed'],
  ])('refuses a hostile %s, naming it', (_prop, props, message) => {
    expect(() => logstashPipelines(props)).toThrow(message);
  });
});

describe('Logstash strings, regular expressions and field references', () => {
  test.each([
    ['plain', 'lusaka', '"lusaka"'],
    ['with a double quote: single quotes hold it', 'say "hi" } output {', `'say "hi" } output {'`],
    ['with a single quote: double quotes hold it', "Vault's log", `"Vault's log"`],
    ['with a hash, braces and arrows, inert inside quotes', '# } => { [a]', '"# } => { [a]"'],
    ['empty', '', '""'],
  ])('a string %s is quoted so Logstash reads it back', (_what, value, quoted) => {
    expect(logstashString(value, 'test')).toBe(quoted);
  });

  test.each([
    ['both kinds of quote', `it's "quoted"`],
    ['a backslash, which would escape the closing quote', 'C:\\logs\\'],
    ['a newline', 'one\ntwo'],
    ['a carriage return', 'one\rtwo'],
    ['a NUL', 'a\u0000b'],
    ['an environment variable reference', 'x${LMS_ES_PASSWORD}'],
    ['a field reference Logstash would fill in', '%{[message]}'],
  ])('a string with %s is refused, naming it', (_what, value) => {
    expect(() => logstashString(value, 'logstashPipelines')).toThrow(`logstashPipelines: Logstash string: ${JSON.stringify(value)} is not allowed (allowed: text without a backslash, a control character, "\${" or "%{", and not both kinds of quote)`);
  });

  test('regular expressions escape every slash and refuse what would end the literal early', () => {
    expect(logstashRegex('a/b(/|%2F)c', 'test')).toBe('/a\\/b(\\/|%2F)c/');
    expect(logstashRegex('^\\s*$', 'test')).toBe('/^\\s*$/');
    expect(() => logstashRegex('a\\/b', 'test')).toThrow('test: Logstash regular expression: "a\\\\/b" is not allowed (allowed: a non-empty pattern without control characters, "\\/" or a trailing backslash)');
    expect(() => logstashRegex('ab\\', 'test')).toThrow('test: Logstash regular expression: "ab\\\\" is not allowed');
    expect(() => logstashRegex('a\nb', 'test')).toThrow('test: Logstash regular expression: "a\\nb" is not allowed');
  });

  test('environment variables and field references', () => {
    expect(logstashEnvironmentVariable('LMS_ES_HOSTS', 'test')).toBe('"${LMS_ES_HOSTS}"');
    expect(() => logstashEnvironmentVariable('LMS_ES_HOSTS}"] } #', 'test')).toThrow('test: environment variable: "LMS_ES_HOSTS}\\"] } #" is not allowed (allowed: upper-case letters, digits and "_", not starting with a digit)');
    expect(logstashFieldReference(['@metadata', 'log_class'], 'test')).toBe('[@metadata][log_class]');
    expect(() => logstashFieldReference([], 'test')).toThrow('test: field: [] is not allowed (allowed: a path of one or more field names, e.g. ["kubernetes", "namespace"])');
    expect(() => logstashFieldReference(['a"b'], 'test')).toThrow('test: field name: "a\\"b" is not allowed');
  });
});

describe('filebeatConfig', () => {
  test('reads every container log on the node but its own, with Kubernetes metadata, and ships to Logstash over mutual TLS', () => {
    expect(filebeatConfig({ logstashHost: 'logs-ls-beats.lms-observability.svc' })).toEqual({
      'filebeat.inputs': [
        {
          type: 'filestream',
          id: 'kubernetes-container-logs',
          paths: ['/var/log/containers/*.log'],
          prospector: { scanner: { symlinks: true, exclude_files: ['^/var/log/containers/filebeat-beat-filebeat-[a-z0-9]+_lms-node-agents_filebeat-[0-9a-f]+\\.log$'] } },
          parsers: [{ container: { stream: 'all', format: 'auto' } }],
          processors: [{ add_kubernetes_metadata: { host: '${NODE_NAME}', matchers: [{ logs_path: { logs_path: '/var/log/containers/' } }] } }],
        },
      ],
      'output.logstash': {
        hosts: ['logs-ls-beats.lms-observability.svc:5044'],
        loadbalance: true,
        ssl: {
          enabled: true,
          verification_mode: 'full',
          certificate_authorities: ['/usr/share/filebeat/logstash-tls/ca.crt'],
          certificate: '/usr/share/filebeat/logstash-tls/tls.crt',
          key: '/usr/share/filebeat/logstash-tls/tls.key',
        },
      },
      'monitoring.enabled': false,
      'http.enabled': true,
      'http.host': 'localhost',
      'http.port': 5066,
    });
    expect(FILEBEAT_LOGSTASH_TLS.key).toBe('/usr/share/filebeat/logstash-tls/tls.key');
  });

  test('excludes exactly Filebeat\'s own container logs', () => {
    const [input] = filebeatConfig({ logstashHost: 'logs-ls-beats.lms-observability.svc' })['filebeat.inputs'] as { prospector: { scanner: { exclude_files: string[] } } }[];
    const excluded = new RegExp(input.prospector.scanner.exclude_files[0]);
    expect(excluded.test('/var/log/containers/filebeat-beat-filebeat-7xk2p_lms-node-agents_filebeat-0123456789abcdef.log')).toBe(true);
    expect(excluded.test('/var/log/containers/logs-ls-0_lms-observability_logstash-0123456789abcdef.log')).toBe(false);
    expect(excluded.test('/var/log/containers/filebeat-beat-filebeat-7xk2p_lms-apps_filebeat-0123456789abcdef.log')).toBe(false);
  });

  test.each(['logs-ls-beats.lms-observability.svc:5044', 'https://logs-ls-beats', '', 'Logs.svc'])('refuses logstashHost %j, naming it', (logstashHost) => {
    expect(() => filebeatConfig({ logstashHost })).toThrow(`filebeatConfig: logstashHost: ${JSON.stringify(logstashHost)} is not allowed (allowed: a DNS name without port, e.g. "logs-ls-beats.lms-observability.svc")`);
  });
});
