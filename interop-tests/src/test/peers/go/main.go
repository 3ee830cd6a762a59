// A grpc-go server with the library's default options (keepalive enforcement: one ping per
// 5 minutes, none without streams), for the starter's client to talk to.
//
// Serves, on 127.0.0.1 (plaintext or TLS):
//
//	interop.Peer/Echo  unary, raw bytes: answers "<name>:" + request, so a caller sees which backend answered
//	interop.Peer/Hold  bidi, raw bytes: sends nothing until the client sends, then echoes each message
//	grpc.health.v1.Health from google.golang.org/grpc/health, "" and "interop.Peer": SERVING, or
//	                   NOT_SERVING with -not-serving
//
// Prints "listening <port>" on stdout once it serves. Built offline in GOPATH mode against
// Debian's golang-google-grpc-dev (grpc-go 1.33):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o peer-server main.go
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// rawOrProtoCodec replaces the default "proto" codec: *[]byte messages (interop.Peer's) pass
// through as they are, everything else (the health service's messages) goes to the proto codec.
// The Java side sends raw bytes with a bytes marshaller, so no generated code is needed on
// either side; the health service keeps its real protobuf messages.
type rawOrProtoCodec struct {
	proto encoding.Codec
}

func (c rawOrProtoCodec) Marshal(v interface{}) ([]byte, error) {
	if raw, ok := v.(*[]byte); ok {
		return *raw, nil
	}
	return c.proto.Marshal(v)
}

func (c rawOrProtoCodec) Unmarshal(data []byte, v interface{}) error {
	if raw, ok := v.(*[]byte); ok {
		*raw = append([]byte(nil), data...)
		return nil
	}
	return c.proto.Unmarshal(data, v)
}

func (c rawOrProtoCodec) Name() string {
	return c.proto.Name()
}

type peer struct {
	prefix []byte
}

func echo(srv interface{}, ctx context.Context, dec func(interface{}) error,
	interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	var request []byte
	if err := dec(&request); err != nil {
		return nil, err
	}
	response := append(append([]byte(nil), srv.(*peer).prefix...), request...)
	return &response, nil
}

func hold(srv interface{}, stream grpc.ServerStream) error {
	for {
		var message []byte
		if err := stream.RecvMsg(&message); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := stream.SendMsg(&message); err != nil {
			return err
		}
	}
}

var peerService = grpc.ServiceDesc{
	ServiceName: "interop.Peer",
	HandlerType: (*interface{})(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Echo", Handler: echo}},
	Streams: []grpc.StreamDesc{{StreamName: "Hold", Handler: hold,
		ServerStreams: true, ClientStreams: true}},
}

func main() {
	port := flag.Int("port", 0, "0 picks a free port")
	name := flag.String("name", "go", "what Echo answers with")
	notServing := flag.Bool("not-serving", false, "health reports NOT_SERVING")
	cert := flag.String("cert", "", "PEM certificate chain; with -key serves TLS")
	key := flag.String("key", "", "PEM private key")
	flag.Parse()
	log.SetOutput(os.Stderr)

	encoding.RegisterCodec(rawOrProtoCodec{proto: encoding.GetCodec("proto")})

	var options []grpc.ServerOption
	if *cert != "" {
		creds, err := credentials.NewServerTLSFromFile(*cert, *key)
		if err != nil {
			log.Fatalf("TLS: %v", err)
		}
		options = append(options, grpc.Creds(creds))
	}
	server := grpc.NewServer(options...)
	server.RegisterService(&peerService, &peer{prefix: []byte(*name + ":")})

	status := healthpb.HealthCheckResponse_SERVING
	if *notServing {
		status = healthpb.HealthCheckResponse_NOT_SERVING
	}
	healthServer := health.NewServer()
	healthServer.SetServingStatus("", status)
	healthServer.SetServingStatus(peerService.ServiceName, status)
	healthpb.RegisterHealthServer(server, healthServer)

	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	fmt.Printf("listening %d\n", listener.Addr().(*net.TCPAddr).Port)
	security := "plaintext"
	if *cert != "" {
		security = "TLS"
	}
	log.Printf("%s: grpc-go %s on %s, %s, health %s", *name, grpc.Version, listener.Addr(), security, status)
	if err := server.Serve(listener); err != nil {
		log.Fatalf("serve: %v", err)
	}
}
