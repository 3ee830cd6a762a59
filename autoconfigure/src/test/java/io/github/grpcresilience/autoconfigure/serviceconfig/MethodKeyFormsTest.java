package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.serviceconfig.MethodConfig;
import io.github.grpcresilience.serviceconfig.MethodName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Every way to write a method key in YAML or a properties file either binds to the method it names
 * or fails the startup naming the key as written and the bracketed fix.
 */
class MethodKeyFormsTest {

    private static final String C = "grpc.resilience.client.channels.inventory";
    private static final MethodName CHECK = new MethodName("grpc.health.v1.Health", "Check");
    private static final String BRACKETS = "a method key must be in brackets: Spring splits grpc.health.v1.Health/Check"
            + " at its dots and drops its slash, so the entry configures no method";
    private static final String FIX = "Write the key in quotes and brackets: \"[grpc.health.v1.Health/Check]\" under "
            + "methods in YAML, " + C + ".methods[grpc.health.v1.Health/Check].timeout in a properties file.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class,
                    GrpcResilienceServiceConfigAutoConfiguration.class))
            .withPropertyValues("grpc.server.port=-1");

    private static ApplicationContextRunner yaml(ApplicationContextRunner runner, String yaml) {
        return runner.withInitializer(context -> {
            try {
                List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml",
                        new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
                sources.forEach(source -> context.getEnvironment().getPropertySources().addFirst(source));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String channelYaml(String key) {
        return """
                grpc:
                  resilience:
                    client:
                      channels:
                        inventory:
                          methods:
                            %s: { timeout: 2s }
                """.formatted(key);
    }

    private void binds(ApplicationContextRunner runner) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Optional<MethodConfig> method = context.getBean(ChannelSettingsResolver.class).channel("inventory")
                    .calls().serviceConfig().methods().stream().filter(config -> config.name().equals(CHECK)).findFirst();
            assertThat(method).as("method entry").isPresent();
            assertThat(method.get().timeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    private void fails(ApplicationContextRunner runner, String property, String reason, String action) {
        fails(runner, property, "2s", reason, action);
    }

    private void fails(ApplicationContextRunner runner, String property, String value, String reason,
            String action) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (!(failure instanceof InvalidGrpcResiliencePropertyException) && failure.getCause() != null) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOfSatisfying(InvalidGrpcResiliencePropertyException.class, e -> {
                        assertThat(e.getProperty()).isEqualTo(property);
                        assertThat(e.getValue()).isEqualTo(value);
                        assertThat(e.getProblem()).isEqualTo(reason);
                        assertThat(e.getAction()).isEqualTo(action);
                    });
        });
    }

    @Test
    void yamlQuotedBracketedKeyBinds() {
        binds(yaml(runner, channelYaml("\"[grpc.health.v1.Health/Check]\"")));
    }

    @Test
    void yamlQuotedKeyWithoutBracketsFails() {
        fails(yaml(runner, channelYaml("\"grpc.health.v1.Health/Check\"")),
                C + ".methods.grpc.health.v1.Health/Check.timeout", BRACKETS, FIX);
    }

    @Test
    void yamlUnquotedKeyFails() {
        fails(yaml(runner, channelYaml("grpc.health.v1.Health/Check")),
                C + ".methods.grpc.health.v1.Health/Check.timeout", BRACKETS, FIX);
    }

    @Test
    void yamlUnquotedFlowMappingFails() {
        fails(yaml(runner, """
                grpc.resilience.client.channels.inventory:
                  methods: { grpc.health.v1.Health/Check: { timeout: 2s } }
                """), C + ".methods.grpc.health.v1.Health/Check.timeout", BRACKETS, FIX);
    }

    @Test
    void propertiesBracketedKeyBinds() {
        binds(runner.withPropertyValues(C + ".methods[grpc.health.v1.Health/Check].timeout=2s"));
    }

    @Test
    void propertiesQuotedBracketedKeyBinds() {
        binds(runner.withPropertyValues(C + ".methods.\"[grpc.health.v1.Health/Check]\".timeout=2s"));
    }

    @Test
    void propertiesKeyWithoutBracketsFails() {
        fails(runner.withPropertyValues(C + ".methods.grpc.health.v1.Health/Check.timeout=2s"),
                C + ".methods.grpc.health.v1.Health/Check.timeout", BRACKETS, FIX);
    }

    @Test
    void serviceWildcardWithoutBracketsFails() {
        fails(runner.withPropertyValues("grpc.resilience.client.defaults.methods.pkg.Service/*.timeout=2s"),
                "grpc.resilience.client.defaults.methods.pkg.Service/*.timeout",
                "a method key must be in brackets: Spring splits pkg.Service/* at its dots and drops its slash, "
                        + "so the entry configures no method",
                "Write the key in quotes and brackets: \"[pkg.Service/*]\" under methods in YAML, "
                        + "grpc.resilience.client.defaults.methods[pkg.Service/*].timeout in a properties file.");
    }

    @Test
    void keyThatNamesNoMethodFails() {
        fails(runner.withPropertyValues(C + ".methods.Check.timeout=2s"), C + ".methods.Check", "Check",
                "a method key must be package.Service/Method or package.Service/* (Spring drops dots and slashes "
                        + "from map keys that are not in brackets)",
                "Write the key in quotes and brackets, e.g. " + C
                        + ".methods.\"[control.ControlPlane/GetConfig]\".retry.enabled=false.");
    }
}
