package io.promokit.steps;

import static io.promokit.steps.InvalidConfigAssertions.assertInvalidConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlUpdateStepTest {

  @TempDir Path workdir;

  @Test
  void kubernetesDeploymentKeepsEverythingButTheChangedValues() throws Exception {
    copyResource("deployment.yaml", "app/deployment.yaml");

    StepResult result = update("app/deployment.yaml",
        u("spec.template.spec.containers.0.image", "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v6"),
        u("spec.replicas", 3),
        u("metadata.labels.app\\.kubernetes\\.io/version", "v6"),
        u("spec.template.metadata.annotations.promokit\\.io/freight", "abc123"),
        u("spec.template.spec.containers.1.image", "busybox:1.37"),
        u("spec.strategy.rollingUpdate.maxSurge", 2),
        u("spec.template.spec.containers.0.env.0.value", "dns-srv"),
        u("spec.template.spec.containers.0.env.-1", Map.of("name", "STAGE")),
        u("spec.template.spec.containers.0.args.1", "8080"));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(read("app/deployment.yaml")).isEqualTo("""
        # Guestbook frontend, promoted by promokit.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: frontend
          namespace: guestbook   # one namespace per stage
          labels:
            app.kubernetes.io/name: frontend
            app.kubernetes.io/part-of: guestbook
            app.kubernetes.io/version: v6
        spec:
          replicas: 3
          selector:
            matchLabels:
              app.kubernetes.io/name: frontend
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 2, maxUnavailable: 0}
          template:
            metadata:
              labels:
                app.kubernetes.io/name: frontend
              annotations:
                promokit.io/freight: abc123
            spec:
              containers:
                - name: php-redis
                  image: "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v6"  # bumped by CI
                  args: ["--port", "8080"]
                  env:
                    - name: GET_HOSTS_FROM
                      value: 'dns-srv'
                    - name: STAGE
                  ports:
                    - containerPort: 80
                  resources:
                    requests:
                      cpu: 100m
                      memory: 100Mi
                # the sidecar ships logs
                - name: log-shipper
                  image: busybox:1.37
        """);
    // Kargo's quoting (pkg/yaml.QuoteIfNecessary): strings as they are unless they read as another type.
    assertThat(result.outputs()).containsEntry("commitMessage", """
        Updated app/deployment.yaml

        - spec.template.spec.containers.0.image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v6
        - spec.replicas: 3
        - metadata.labels.app\\.kubernetes\\.io/version: v6
        - spec.template.metadata.annotations.promokit\\.io/freight: abc123
        - spec.template.spec.containers.1.image: busybox:1.37
        - spec.strategy.rollingUpdate.maxSurge: 2
        - spec.template.spec.containers.0.env.0.value: dns-srv
        - spec.template.spec.containers.0.env.-1: {"name": "STAGE"}
        - spec.template.spec.containers.0.args.1: "8080\"""");
  }

  @Test
  void helmValuesKeepCommentsQuotingAndLayout() throws Exception {
    copyResource("values.yaml", "chart/values.yaml");

    update("chart/values.yaml",
        u("image.tag", "v1.2.3"),
        u("replicaCount", 3),
        u("podAnnotations.checksum/config", "9f2c"),
        u("resources.limits.cpu", "500m"),
        u("motd", "Welcome to stage prod.\nBe nice.\n"),
        u("ingress.hosts.0.host", "guestbook.example.com"),
        u("imagePullSecrets.-1", Map.of("name", "regcred")),
        u("autoscaling.enabled", true),
        u("nodeSelector.kubernetes\\.io/os", "linux"));

    assertThat(read("chart/values.yaml")).isEqualTo("""
        # Default values for the guestbook chart.
        # This is a YAML-formatted file.

        replicaCount: 3

        image:
          repository: ghcr.io/example/guestbook
          # Overrides the image tag whose default is the chart appVersion.
          tag: "v1.2.3"
          pullPolicy: IfNotPresent

        imagePullSecrets: [{name: regcred}]
        nameOverride: ""

        serviceAccount:
          # Specifies whether a service account should be created
          create: true
          # Annotations to add to the service account
          annotations: {}

        podAnnotations: {checksum/config: 9f2c}

        service:
          type: ClusterIP
          port: 80

        ingress:
          enabled: false
          hosts:
            - host: guestbook.example.com
              paths:
                - path: /
                  pathType: ImplementationSpecific

        resources: {limits: {cpu: 500m}}
          # limits:
          #   cpu: 100m
          #   memory: 128Mi

        # Shown on the status page.
        motd: |
          Welcome to stage prod.
          Be nice.

        autoscaling:
          enabled: true
          minReplicas: 1
          maxReplicas: 100
        nodeSelector:
          kubernetes.io/os: linux
        """);
  }

  @Test
  void newKeysFollowTheFilesIndentationAndListStyle() throws Exception {
    write("v.yaml", """
        app:
            name: web
            ports:
            - 80
        """);

    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put("limits", Map.of("cpu", "1"));
    resources.put("args", List.of("--fast", "--safe", "-", "---"));

    update("v.yaml", u("app.ports.-1", 443), u("app.resources", resources));

    assertThat(read("v.yaml")).isEqualTo("""
        app:
            name: web
            ports:
            - 80
            - 443
            resources:
                limits:
                    cpu: "1"
                args:
                - --fast
                - --safe
                - "-"
                - "---"
        """);
  }

  @Test
  void stringsThatWouldReadAsOtherTypesAreQuoted() throws Exception {
    write("v.yaml", "a: x\nb: x\nc: x\nd: x\ne: x\nf: x\ng: x\nh: x\ni: x\nj: x\n");

    update("v.yaml", u("a", "1.10"), u("b", "yes"), u("c", "null"), u("d", "2024-01-01"), u("e", "key: value"),
        u("f", "#hash"), u("g", "1e3"), u("h", "y"), u("i", "0o17"), u("j", "plain-v1.2.3"));

    assertThat(read("v.yaml")).isEqualTo("a: \"1.10\"\nb: \"yes\"\nc: \"null\"\nd: \"2024-01-01\"\n"
        + "e: \"key: value\"\nf: \"#hash\"\ng: \"1e3\"\nh: \"y\"\ni: \"0o17\"\nj: plain-v1.2.3\n");
  }

  @Test
  void quotedValuesStayQuotedEvenForNumbers() throws Exception {
    write("v.yaml", "tag: \"1.2\"\nold: '7'\nplain: 1\n");

    update("v.yaml", u("tag", 1.3), u("old", 8), u("plain", 2.5));

    assertThat(read("v.yaml")).isEqualTo("tag: \"1.3\"\nold: '8'\nplain: 2.5\n");
  }

  @Test
  void emptyAndNullValuesGetAValueAndCanGrowIntoMaps() throws Exception {
    write("v.yaml", "empty:\ntilde: ~\nnested:\nafter: 1\n");

    update("v.yaml", u("empty", "now"), u("tilde", false), u("nested.deep.key", "v"));

    assertThat(read("v.yaml")).isEqualTo("empty: now\ntilde: false\nnested:\n  deep:\n    key: v\nafter: 1\n");
  }

  @Test
  void emptyValueFollowedByACommentKeepsTheComment() throws Exception {
    write("v.yaml", "a: # pending\nb:   # later\nc: 1\n");

    update("v.yaml", u("a", "x"), u("b", 2));

    assertThat(read("v.yaml")).isEqualTo("a: x # pending\nb: 2   # later\nc: 1\n");
  }

  @Test
  void kubectlStyleListsWithoutIndentGrowTheSameWay() throws Exception {
    write("v.yaml", "spec:\n  containers:\n  - name: app\n    image: app:1\n");

    update("v.yaml", u("spec.containers.1", Map.of("name", "sidecar")), u("spec.volumes.0.name", "data"));

    // As in Kargo, a missing key is created as a map, also when the next part is a number.
    assertThat(read("v.yaml")).isEqualTo(
        "spec:\n  containers:\n  - name: app\n    image: app:1\n  - name: sidecar\n  volumes:\n    \"0\":\n      name: data\n");
  }

  @Test
  void foldedAndLiteralBlocksTakeMultiLineValues() throws Exception {
    write("v.yaml", "script: |-\n    echo one\n    echo two\nnote: >\n  folded\n  text\nlast: 1\n");

    update("v.yaml", u("script", "echo three\necho four"), u("note", "single line"));

    assertThat(read("v.yaml")).isEqualTo("script: |-\n    echo three\n    echo four\nnote: single line\nlast: 1\n");
  }

  @Test
  void settingNullAndCollectionsReplacesWholeValues() throws Exception {
    write("v.yaml", "a: 1\nb:\n  x: 1\n  y: 2\nc: [1, 2]\nd: keep\n");

    update("v.yaml", u("a", null), u("b", List.of("p", "q")), u("c", Map.of("k", "v")));

    assertThat(read("v.yaml")).isEqualTo("a: null\nb:\n  - p\n  - q\nc: {k: v}\nd: keep\n");
  }

  @Test
  void anchorsAndTagsStayInPlace() throws Exception {
    write("v.yaml", "base: &tag v1\ncopy: *tag\ntyped: !!str 42\n");

    update("v.yaml", u("copy", "v2"), u("typed", "43"));

    // An alias has no value of its own: the anchored value changes (as in Kargo).
    assertThat(read("v.yaml")).isEqualTo("base: &tag v2\ncopy: *tag\ntyped: !!str \"43\"\n");
  }

  @Test
  void newKeysGoAfterAnAliasThatEndsTheMap() throws Exception {
    write("v.yaml", "defaults: &defaults {cpu: 1}\nbase: &tag v1\nlist: [*tag, x]\ncopy: *tag\n");

    update("v.yaml", u("added", "yes it is"), u("list.-1", "z"), u("list.0", "v2"));

    assertThat(read("v.yaml")).isEqualTo(
        "defaults: &defaults {cpu: 1}\nbase: &tag v2\nlist: [*tag, x, z]\ncopy: *tag\nadded: yes it is\n");
  }

  @Test
  void anAliasOfAMapCannotBeReplaced() throws Exception {
    write("v.yaml", "defaults: &defaults\n  cpu: 1\nprod: *defaults\n");

    assertThatThrownBy(() -> update("v.yaml", u("prod", Map.of("cpu", 2))))
        .isInstanceOf(StepException.class)
        .hasMessage("config.updates[0].key: \"prod\": the value is an alias (*defaults) of a map or list defined "
            + "elsewhere; yaml-update changes aliased scalars only");
  }

  @Test
  void windowsLineEndingsByteOrderMarkAndWideCharactersArePreserved() throws Exception {
    write("v.yaml", "\ufeff# h\u00e9llo \uD83D\uDE00\r\nimage:\r\n  tag: old \uD83D\uDE00\r\n");

    update("v.yaml", u("image.tag", "new"), u("image.digest", "sha256:abc"));

    assertThat(read("v.yaml"))
        .isEqualTo("\ufeff# h\u00e9llo \uD83D\uDE00\r\nimage:\r\n  tag: new\r\n  digest: sha256:abc\r\n");
  }

  @Test
  void escapedColonAndNumericMapKeys() throws Exception {
    write("v.yaml", "ports:\n  \"80\": http\nweird:\n  a:b: 1\n");

    update("v.yaml", u("ports.:80", "web"), u("ports.:443", "https"), u("weird.a\\:b", 2));

    assertThat(read("v.yaml")).isEqualTo("ports:\n  \"80\": web\n  \"443\": https\nweird:\n  a:b: 2\n");
  }

  @Test
  void keepsTheFileModeAndWritesNothingWhenNothingChanges() throws Exception {
    write("v.yaml", "a: 1\n");
    Files.setPosixFilePermissions(workdir.resolve("v.yaml"), PosixFilePermissions.fromString("rw-r-----"));

    update("v.yaml", u("a", 2));

    assertThat(read("v.yaml")).isEqualTo("a: 2\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("v.yaml"))))
        .isEqualTo("rw-r-----");
  }

  @Test
  void shapeConflictsAreErrorsNamingTheKeyAndLeaveTheFileAlone() throws Exception {
    write("v.yaml", "image:\n  tag: v1\nlist: [a, b]\n");

    assertThatThrownBy(() -> update("v.yaml", u("image.tag", "v2"), u("image.tag.x", "v")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.updates[1].key: \"image.tag.x\": \"image.tag\" holds a string, not a map or a list");
    assertThatThrownBy(() -> update("v.yaml", u("list.5", "c")))
        .hasMessage("config.updates[0].key: \"list.5\": index 5 is out of range: \"list\" has 2 items "
            + "(use 2 or -1 to append)");
    assertThatThrownBy(() -> update("v.yaml", u("list.first", "c")))
        .hasMessage("config.updates[0].key: \"list.first\": \"list\" is a list, so \"first\" must be an index "
            + "(0, 1, ... or -1 to append)");
    assertThat(read("v.yaml")).isEqualTo("image:\n  tag: v1\nlist: [a, b]\n");
  }

  @Test
  void malformedYamlIsReportedWithItsLine() throws Exception {
    write("v.yaml", "a: 1\nb: [unclosed\nc: 2\n");

    assertThatThrownBy(() -> update("v.yaml", u("a", 2)))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("config.path: \"v.yaml\" is not valid YAML: ")
        .hasMessageContaining("(line ");
  }

  @Test
  void severalDocumentsAreRefused() throws Exception {
    write("v.yaml", "a: 1\n---\na: 2\n");

    assertThatThrownBy(() -> update("v.yaml", u("a", 3)))
        .hasMessage("config.updates[0].key: \"a\": the file holds 2 YAML documents; yaml-update changes files with "
            + "one document");
  }

  @Test
  void emptyFileGetsTheKey() throws Exception {
    write("v.yaml", "# nothing yet\n");

    update("v.yaml", u("image.tag", "v1"));

    assertThat(read("v.yaml")).isEqualTo("# nothing yet\nimage:\n  tag: v1\n");
  }

  @Test
  void missingFileIsAnError() {
    assertThatThrownBy(() -> update("nope.yaml", u("a", 1)))
        .isInstanceOf(StepException.class)
        .hasMessage("config.path: \"nope.yaml\" does not exist");
  }

  @Test
  void badKeysAndConfigAreNamed() throws Exception {
    write("v.yaml", "a: 1\n");

    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(Map.of("key", "a..b", "value", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an empty part in \"a..b\"");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(Map.of("key", "a\\x", "value", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an unknown escape \\x in \"a\\x\" "
            + "(use \\. \\: or \\\\)");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(Map.of("key", "a")))).message())
        .isEqualTo("invalid config: config.updates[0].value: is required");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of())).message())
        .isEqualTo("invalid config: config.updates: must have at least 1 item, but had 0");
    assertThat(run(Map.of("updates", List.of(Map.of("key", "a", "value", 1)))).message())
        .isEqualTo("invalid config: config.path: is required");
    assertThat(read("v.yaml")).isEqualTo("a: 1\n");
  }

  @Test
  void writingIntoGitIsRejected() throws Exception {
    write("repo/.git/config.yaml", "a: 1\n");

    assertInvalidConfig(() -> run(Map.of("path", "repo/.git/config.yaml", "updates", List.of(u("a", 2)))),
        "config.path: \"repo/.git/config.yaml\" is inside a .git directory, which steps may not change");
  }

  // Kargo: Test_yamlUpdater_run "successful run with updates" and Test_yamlUpdater_generateCommitMessage
  // "multiple changes": strings plain unless Go reads them as a number, a boolean or JSON.
  @Test
  void commitMessageQuotesAsKargoDoes() throws Exception {
    write("values.yaml", "image:\n  tag: old\n  numStr: x\n  realNum: 1\n  flag: x\n  js: x\n  hex: x\n");

    StepResult result = update("values.yaml", u("image.tag", "fake-tag"), u("image.numStr", "42"),
        u("image.realNum", 42), u("image.flag", "True"), u("image.js", "{\"a\": 1}"), u("image.hex", "0x1p-2"));

    assertThat(result.outputs()).containsEntry("commitMessage", """
        Updated values.yaml

        - image.tag: fake-tag
        - image.numStr: "42"
        - image.realNum: 42
        - image.flag: "True"
        - image.js: "{\\"a\\": 1}"
        - image.hex: "0x1p-2\"""");
  }

  // Kargo: pkg/yaml TestSetValuesInBytes "no extra quotes around true number"; Kargo's values pass through JSON as
  // float64, and Go writes a whole float64 without a fraction: 123, never 123.0. [ours] 1e6 is written as
  // 1000000 (Go's %v writes 1e+06, which YAML then reads as a float).
  @Test
  void numbersKeepTheirForm() throws Exception {
    write("v.yaml", "a: x\nb: x\nc: x\nd: x\n");

    StepResult result = update("v.yaml", u("a", 123), u("b", 123.0), u("c", 1.5), u("d", 1e6));

    assertThat(read("v.yaml")).isEqualTo("a: 123\nb: 123\nc: 1.5\nd: 1000000\n");
    assertThat((String) result.outputs().get("commitMessage"))
        .endsWith("- a: 123\n- b: 123\n- c: 1.5\n- d: 1000000");
  }

  // Kargo: pkg/yaml TestFindScalarNode "node found, but isn't a scalar node" (key path does not address a scalar
  // node): a map or a list is not replaced by a single value.
  @Test
  void replacingAMapOrAListWithAScalarIsAnError() throws Exception {
    write("v.yaml", "image:\n  tag: v1\nports: [80, 443]\n");

    assertThatThrownBy(() -> update("v.yaml", u("image", "nginx:1.27")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.updates[0].key: \"image\": \"image\" holds a map; yaml-update does not replace a map or "
            + "a list with a single value (as in Kargo)");
    assertThatThrownBy(() -> update("v.yaml", u("image.tag", "v2"), u("ports", null)))
        .hasMessage("config.updates[1].key: \"ports\": \"ports\" holds a list; yaml-update does not replace a map or "
            + "a list with a single value (as in Kargo)");
    assertThat(read("v.yaml")).isEqualTo("image:\n  tag: v1\nports: [80, 443]\n");
    // [ours] A map or a list may replace one.
    update("v.yaml", u("ports", List.of(8080)));
    assertThat(read("v.yaml")).isEqualTo("image:\n  tag: v1\nports: [8080]\n");
  }

  // Kargo: pkg/sjson TestSplitKey, the malformed keys: each is refused before the file is touched.
  @Test
  void malformedKeysAreRefusedAsKargoRefusesThem() throws Exception {
    write("v.yaml", "a: 1\n");

    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(u(".foo", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an empty part in \".foo\"");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(u("foo.", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an empty part in \"foo.\"");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(u("foo..bar", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an empty part in \"foo..bar\"");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(u("foo\\nbar", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an unknown escape \\n in \"foo\\nbar\" "
            + "(use \\. \\: or \\\\)");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(u("foo:bar", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: has an unescaped : inside a name in \"foo:bar\" "
            + "(a : may only start a name; write \\: for a literal colon)");
    assertThat(run(Map.of("path", "v.yaml", "updates", List.of(u("  ", 1)))).message())
        .isEqualTo("invalid config: config.updates[0].key: must not be empty");
    assertThat(read("v.yaml")).isEqualTo("a: 1\n");
  }

  private static Map<String, Object> u(String key, Object value) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("key", key);
    update.put("value", value);
    return update;
  }

  @SafeVarargs
  private StepResult update(String path, Map<String, Object>... updates) throws Exception {
    StepResult result = run(Map.of("path", path, "updates", List.of(updates)));
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    return result;
  }

  private StepResult run(Map<String, Object> config) throws Exception {
    return TestStepContext.of(workdir, "yaml-update", config).run();
  }

  private void copyResource(String resource, String path) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      write(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private void write(String path, String text) throws IOException {
    Path file = workdir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private String read(String path) throws IOException {
    return Files.readString(workdir.resolve(path));
  }
}
