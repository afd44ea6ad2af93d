package io.crmlake.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The figures README and docs/sample-data.md give for the shipped sample are those of
 * sample-data/ itself: its ground truth (customers, products, categories) and its day folders.
 * A regenerated sample or a changed generator that leaves the text behind fails here.
 */
class SampleDataDocsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path SAMPLE = ROOT.resolve("sample-data");

    @Test
    void readmeAndSampleDocsGiveTheSamplesOwnFigures() throws IOException {
        List<String> customers = dataLines(SAMPLE.resolve("_ground_truth/customers.csv"));
        List<String> products = dataLines(SAMPLE.resolve("_ground_truth/products.csv"));
        Set<String> categories = new TreeSet<>();
        products.forEach(p -> categories.add(p.split(",")[1]));
        List<Path> days;
        try (Stream<Path> folders = Files.list(SAMPLE.resolve("customers"))) {
            days = folders.filter(Files::isDirectory).sorted().toList();
        }

        String readme = Files.readString(ROOT.resolve("README.md"));
        String sampleDocs = Files.readString(ROOT.resolve("docs/sample-data.md"));
        // README's table of folders: "one full day and three incremental days, 2,000 customers".
        assertThat(number(readme, "one full day and (\\w+) incremental days")).isEqualTo(days.size() - 1);
        assertThat(number(readme, "incremental days, ([\\d,]+) customers")).isEqualTo(customers.size());
        // README's pointer: "sample-data/ is four generated days of a 2,000-customer shop".
        assertThat(number(readme, "`sample-data/` is (\\w+) generated days")).isEqualTo(days.size());
        assertThat(number(readme, "generated days of a ([\\d,]+)-customer shop")).isEqualTo(customers.size());
        // docs/sample-data.md: "120 products in 8 categories".
        assertThat(number(sampleDocs, "([\\d,]+) products in \\d+ categories")).isEqualTo(products.size());
        assertThat(number(sampleDocs, "products in (\\d+) categories")).isEqualTo(categories.size());
    }

    private static List<String> dataLines(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
    }

    /** The number the pattern's group captures, written in digits ("2,000") or as a word ("three"). */
    private static int number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("the text says /%s/", regex).isTrue();
        String found = m.group(1);
        List<String> words = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");
        int word = words.indexOf(found.toLowerCase());
        return word >= 0 ? word : Integer.parseInt(found.replace(",", ""));
    }
}
