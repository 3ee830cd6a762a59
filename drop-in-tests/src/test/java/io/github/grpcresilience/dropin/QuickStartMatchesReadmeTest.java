package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The quickstart-app is the README's Quick start as written: its pom declares exactly the Quick
 * start's dependency lines (besides its own web and actuator starters) and its application.yml holds
 * the Quick start's configuration. Change one without the other and this fails, so
 * {@link QuickStartAppIT} keeps testing what a newcomer copies. The same holds for the README's
 * Spring Boot 4.1 section and boot4-servlet-app ({@link Boot4ServletAppIT}).
 */
class QuickStartMatchesReadmeTest {

    private static final Path ROOT = Path.of("..");
    private static final Path APP = Path.of("apps", "quickstart-app");
    private static final Path BOOT4_APP = Path.of("apps", "boot4-servlet-app");

    @Test
    void thePomDeclaresTheQuickStartsDependenciesAndNoOtherGrpcOnes() throws IOException {
        List<String> readme = dependencies(quickStartBlock("xml"));
        assertThat(readme).hasSize(2);
        List<String> pom = dependencies(Files.readString(APP.resolve("pom.xml")));
        assertThat(pom).containsAll(readme);
        assertThat(pom).filteredOn(dependency -> !readme.contains(dependency))
                .allMatch(dependency -> dependency.contains("<groupId>org.springframework.boot</groupId>"),
                        "only Spring Boot's own starters besides the Quick start's lines");
    }

    @Test
    void theBoot4ServletAppDeclaresTheSpringBoot41SectionsDependenciesAndNoOtherGrpcOnes() throws IOException {
        List<String> readme = dependencies(block("## Spring Boot 4.1", "xml"));
        assertThat(readme).hasSize(3);
        List<String> pom = dependencies(Files.readString(BOOT4_APP.resolve("pom.xml")));
        assertThat(pom).containsAll(readme);
        assertThat(pom).filteredOn(dependency -> !readme.contains(dependency))
                .allMatch(dependency -> dependency.contains("<groupId>org.springframework.boot</groupId>"),
                        "only Spring Boot's own starters besides the Spring Boot 4.1 section's lines");
    }

    @Test
    void theApplicationYmlHoldsTheQuickStartsConfiguration() throws IOException {
        String yaml = quickStartBlock("yaml").strip();
        assertThat(Files.readString(APP.resolve("src/main/resources/application.yml"))).contains(yaml);
    }

    /** The first fenced block of {@code language} in the README's Quick start section. */
    private static String quickStartBlock(String language) throws IOException {
        return block("## Quick start", language);
    }

    /** The first fenced block of {@code language} in the README's section under {@code heading}. */
    private static String block(String heading, String language) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf(heading + "\n");
        assertThat(start).as("README has a section %s", heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Matcher block = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
                .matcher(readme.substring(start, end < 0 ? readme.length() : end));
        assertThat(block.find()).as("a %s block in %s", language, heading).isTrue();
        return block.group(1);
    }

    /** Every {@code <dependency>} element, with its white space folded. */
    private static List<String> dependencies(String xml) {
        return Pattern.compile("<dependency>.*?</dependency>", Pattern.DOTALL).matcher(xml).results()
                .map(match -> match.group().replaceAll("\\s+", "")).toList();
    }
}
