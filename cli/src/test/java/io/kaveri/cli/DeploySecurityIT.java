package io.kaveri.cli;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.serde.KaveriAvroSerializer;
import io.kaveri.stack.KafkaBroker;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsAppRunner;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.test.KaveriStack;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Security pass-through: a broker whose client listener speaks SASL_SSL (SASL/PLAIN over TLS with a certificate
 * made here by the JDK's keytool) and authorizes with ACLs. {@code ./kaveri deploy} and a streams app get the
 * same client properties file and work through it; a wrong password or a principal without permission stops the
 * deploy with an error that names the cluster and the cause, before anything is created.
 */
@KaveriStack({Part.REGISTRY})
class DeploySecurityIT {

    private static final String LISTENER = "SECURE";
    private static final String STORE_PASSWORD = "kaveri-store";
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String READER_PASSWORD = "reader-secret";
    private static final Path CONTRACTS = Path.of(System.getProperty("kaveri.home")).resolve("schemas/src/main/contracts");
    private static final String TRADE = "io.kaveri.schemas.market.Trade";

    @TempDir
    static Path shared;
    private static KafkaBroker broker;
    private static Path truststore;
    private static Admin superUser;

    @TempDir
    Path dir;
    private final String run = "secure" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private LocalStack stack;
    private Path contracts;

    @BeforeAll
    static void secureBroker() throws Exception {
        TestCertificates certificates = TestCertificates.create(shared, STORE_PASSWORD);
        Path keystore = certificates.keystore();
        truststore = certificates.truststore();

        String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
        Map<String, String> overrides = new HashMap<>();
        overrides.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
        overrides.put(prefix + "plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "user_admin=\"" + ADMIN_PASSWORD + "\" user_reader=\"" + READER_PASSWORD + "\";");
        overrides.put(prefix + "ssl.keystore.location", keystore.toString());
        overrides.put(prefix + "ssl.keystore.password", STORE_PASSWORD);
        overrides.put(prefix + "ssl.key.password", STORE_PASSWORD);
        overrides.put(prefix + "ssl.keystore.type", "PKCS12");
        overrides.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The PLAINTEXT listeners (broker to controller, this test's set-up) stay trusted; SASL users get what ACLs grant.
        overrides.put("super.users", "User:ANONYMOUS;User:admin");
        broker = KafkaBroker.start(new KafkaBroker.Options(shared.resolve("kafka"), shared.resolve("kafka.log"), overrides,
                Map.of(LISTENER, "SASL_SSL")));
        superUser = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        if (superUser != null) {
            superUser.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void contracts(LocalStack stack) throws IOException {
        this.stack = stack;
        contracts = Files.createDirectories(dir.resolve("contracts"));
        Path trade = Files.createDirectories(contracts.resolve(TRADE));
        try (Stream<Path> files = Files.list(CONTRACTS.resolve(TRADE))) {
            for (Path f : files.toList()) {
                Files.copy(f, trade.resolve(f.getFileName()));
            }
        }
    }

    @AfterEach
    void deleteTopics() throws Exception {
        Set<String> mine = new java.util.HashSet<>(superUser.listTopics().names().get(60, TimeUnit.SECONDS));
        mine.removeIf(t -> !t.startsWith(run));
        superUser.deleteTopics(mine).all().get(60, TimeUnit.SECONDS);
    }

    @Test
    void deployAndAStreamsAppWorkOverSaslSsl() throws Exception {
        Path client = clientProperties("admin", ADMIN_PASSWORD);
        DeployCommandIT.Run deploy = DeployCommandIT.run(deployArgs(client));
        assertThat(deploy.exit()).as(deploy.out() + deploy.err()).isZero();
        assertThat(deploy.out()).containsPattern("topic +create +" + run + "-trades").contains("change(s) made");
        assertThat(superUser.listTopics().names().get(60, TimeUnit.SECONDS))
                .contains(run + "-trades", run + "-candles", run + "-live", run + "-hopping", run + "-dlq", run + "-late");
        try (SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            assertThat(registry.subjects()).contains(run + "-trades-value");
        }
        DeployCommandIT.Run again = DeployCommandIT.run(deployArgs(client));
        assertThat(again.out()).as(again.err()).contains("nothing changed");

        // The app reads the same file: every security key passes through StreamsAppConfig to Kafka Streams.
        StreamsApp market = StreamsApps.named("market").orElseThrow();
        Map<String, String> overrides = new HashMap<>(appSettings());
        overrides.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(LISTENER));
        overrides.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        overrides.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("state")).toString());
        overrides.put(StreamsAppConfig.REPLICATION_FACTOR_CONFIG, "1");
        StreamsAppConfig config = StreamsAppConfig.of(market, StreamsAppConfig.load(client, Map.of(), overrides));
        Map<String, Object> clientConfig = new HashMap<>(security("admin", ADMIN_PASSWORD));
        clientConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(LISTENER));
        clientConfig.put("schema.registry.url", stack.registryUrl());
        try (StreamsAppRunner app = StreamsAppRunner.start(market, config)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(180))).as("market app RUNNING over SASL_SSL").isTrue();
            Map<String, Object> producerConfig = new HashMap<>(clientConfig);
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer(clientConfig))) {
                Trade trade = Trade.newBuilder().setTradeId(run + "-1").setSymbol("KVR").setPrice(new BigDecimal("101.50000000"))
                        .setQuantity(new BigDecimal("2.00000000")).setSide(Side.BUY).setTs(Instant.now()).setVenue(null).build();
                producer.send(new ProducerRecord<>(run + "-trades", null, trade.getTs().toEpochMilli(), "KVR", trade))
                        .get(60, TimeUnit.SECONDS);
            }
            Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, run + "-reader");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put("specific.avro.reader", "true");
            KaveriAvroDeserializer values = new KaveriAvroDeserializer();
            values.configure(consumerConfig, false);
            List<Object> candles = new ArrayList<>();
            try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), values)) {
                consumer.subscribe(List.of(run + "-live"));
                await("a live candle over SASL_SSL").atMost(Duration.ofSeconds(180)).until(() -> {
                    for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
                        candles.add(r.value());
                    }
                    return !candles.isEmpty();
                });
            }
            assertThat(candles.get(0)).isInstanceOfSatisfying(Candle.class, c -> assertThat(c.getSymbol()).isEqualTo("KVR"));
        }
    }

    @Test
    void aWrongPasswordStopsTheDeployNamingTheBrokerAndTheAuthenticationFailure() throws Exception {
        DeployCommandIT.Run r = DeployCommandIT.run(deployArgs(clientProperties("admin", "not-the-password")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Kafka cluster at " + broker.bootstrapServers(LISTENER))
                .contains("SaslAuthenticationException").contains("check the sasl.* / ssl.* settings in --command-config");
        assertThat(r.out()).doesNotContain("done ");
        assertThat(superUser.listTopics().names().get(60, TimeUnit.SECONDS)).noneMatch(t -> t.startsWith(run));
        try (SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            assertThat(registry.subjects()).doesNotContain(run + "-trades-value");
        }
    }

    @Test
    void aPrincipalWithoutCreatePermissionStopsTheDeployBeforeAnyChange() throws Exception {
        // reader may look at this run's topics but not create them: the plan's validate-only creation finds out.
        ResourcePattern topics = new ResourcePattern(ResourceType.TOPIC, run, PatternType.PREFIXED);
        superUser.createAcls(List.of(
                new AclBinding(topics, new AccessControlEntry("User:reader", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)),
                new AclBinding(topics, new AccessControlEntry("User:reader", "*", AclOperation.DESCRIBE_CONFIGS, AclPermissionType.ALLOW))))
                .all().get(60, TimeUnit.SECONDS);
        DeployCommandIT.Run r = DeployCommandIT.run(deployArgs(clientProperties("reader", READER_PASSWORD)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot create topics " + run + "-candles").contains("TopicAuthorizationException")
                .contains("grant the principal of --command-config that permission").contains("nothing more was changed");
        assertThat(superUser.listTopics().names().get(60, TimeUnit.SECONDS)).noneMatch(t -> t.startsWith(run));
        try (SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            assertThat(registry.subjects()).doesNotContain(run + "-trades-value");
        }
    }

    private List<String> deployArgs(Path clientProperties) {
        List<String> args = new ArrayList<>(List.of("deploy",
                "--bootstrap-servers", broker.bootstrapServers(LISTENER),
                "--command-config", clientProperties.toString(),
                "--registry-url", stack.registryUrl(),
                "--contracts", contracts.toString(),
                "--subject", TRADE + "=" + run + "-trades-value",
                "--apps", "market"));
        appSettings().forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return args;
    }

    private Map<String, String> appSettings() {
        return Map.of("application.id", run,
                "market.trades.topic", run + "-trades",
                "market.candles.topic", run + "-candles",
                "market.candles.live.topic", run + "-live",
                "market.candles.hopping.topic", run + "-hopping");
    }

    private static Map<String, String> security(String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString(),
                SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, STORE_PASSWORD,
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    }

    /** The file a user gives both to {@code ./kaveri deploy --command-config} and to an app's {@code --config}. */
    private Path clientProperties(String user, String password) throws IOException {
        Properties p = new Properties();
        p.putAll(security(user, password));
        Path file = dir.resolve(user + "-" + UUID.randomUUID() + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "SASL_SSL client");
        }
        return file;
    }

    private static KaveriAvroSerializer serializer(Map<String, Object> config) {
        KaveriAvroSerializer serializer = new KaveriAvroSerializer();
        serializer.configure(config, false);
        return serializer;
    }
}
