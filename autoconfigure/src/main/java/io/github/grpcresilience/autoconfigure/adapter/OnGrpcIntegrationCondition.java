package io.github.grpcresilience.autoconfigure.adapter;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;

/**
 * The integrations the starter adapts to, by a class only each one's client or server module has.
 * Class names, not classes: neither integration needs to be present.
 */
final class OnGrpcIntegrationCondition {

    static final String NET_DEVH_CLIENT = "net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer";
    static final String NET_DEVH_SERVER = "net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer";
    static final String SPRING_GRPC_CLIENT = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration";
    static final String SPRING_GRPC_SERVER = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration";

    private OnGrpcIntegrationCondition() {
    }

    static final class Client extends AnyNestedCondition {

        Client() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnClass(name = NET_DEVH_CLIENT)
        static final class NetDevh {
        }

        @ConditionalOnClass(name = SPRING_GRPC_CLIENT)
        static final class SpringGrpc {
        }
    }

    static final class Server extends AnyNestedCondition {

        Server() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnClass(name = NET_DEVH_SERVER)
        static final class NetDevh {
        }

        @ConditionalOnClass(name = SPRING_GRPC_SERVER)
        static final class SpringGrpc {
        }
    }
}
