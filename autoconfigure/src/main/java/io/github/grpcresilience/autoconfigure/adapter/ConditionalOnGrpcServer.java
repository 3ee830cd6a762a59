package io.github.grpcresilience.autoconfigure.adapter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when a supported integration's server is on the class path: net.devh's
 * grpc-server-spring-boot-starter or Spring Boot 4.1's {@code spring-boot-grpc-server}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnGrpcIntegrationCondition.Server.class)
public @interface ConditionalOnGrpcServer {
}
