package com.example.mixedversions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MixedVersionsApplication {

    public static void main(String[] args) {
        SpringApplication.run(MixedVersionsApplication.class, args);
    }
}
