package io.github.grpcresilience.autoconfigure.adapter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when a supported integration's client is on the class path: net.devh's
 * grpc-client-spring-boot-starter or Spring Boot 4.1's {@code spring-boot-grpc-client}. The one
 * place generic auto-configurations learn whether some integration builds client channels.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnGrpcIntegrationCondition.Client.class)
public @interface ConditionalOnGrpcClient {
}
