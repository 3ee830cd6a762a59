package io.github.grpcresilience.boot4.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The application every side runs, as a new user has it: {@code @EnableAutoConfiguration}, Spring
 * Boot's gRPC defaults, whatever the class path brings; plus the child end of the line protocol
 * with the orchestrator ({@link SideJvm}).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class SideApplication {

    private static final String STARTER_CLASS = "io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcClient";
    private static final BufferedReader COMMANDS = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));

    /** Starts the application after checking that the class path is the side's. */
    static ConfigurableApplicationContext run(Side side, Class<?>[] sources, String... properties) {
        boolean starterPresent;
        try {
            Class.forName(STARTER_CLASS, false, SideApplication.class.getClassLoader());
            starterPresent = true;
        } catch (ClassNotFoundException e) {
            starterPresent = false;
        }
        if (starterPresent != (side == Side.STARTER)) {
            throw new IllegalStateException(side.label + " started with the starter "
                    + (starterPresent ? "on" : "missing from") + " its class path");
        }
        List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off", "spring.main.log-startup-info=false", "logging.level.root=WARN"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }

    /** Tells the orchestrator something ({@code WORD rest}). */
    static synchronized void report(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Blocks until the orchestrator sends {@code command}. */
    static void awaitCommand(String command) {
        try {
            for (String line = COMMANDS.readLine(); line != null; line = COMMANDS.readLine()) {
                if (line.trim().equals(command)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("orchestrator went away before " + command);
    }
}
