package io.crmlake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import io.crmlake.schema.Entity;

/** Writes tiny landing folders for tests: one CSV per entity and day, with the success marker. */
public final class Landing {
    private final Path root;

    public Landing(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Writes {@code <root>/<entity>/<date>/<file>} with the canonical header and the given lines. */
    public Landing csv(Entity e, LocalDate date, String file, String... lines) {
        return raw(e.tableName(), date, file, String.join(",", e.columnNames()) + "\n"
                + (lines.length == 0 ? "" : String.join("\n", lines) + "\n"));
    }

    /** Writes a file with exactly this content (any header, any bytes) and the marker. */
    public Landing raw(String folder, LocalDate date, String file, String content) {
        try {
            Path day = root.resolve(folder).resolve(date.toString());
            Files.createDirectories(day);
            Files.writeString(day.resolve(file), content, StandardCharsets.UTF_8);
            Files.writeString(day.resolve("_SUCCESS"), "");
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Header-only files for every entity that has no file yet on that day. */
    public Landing emptyDay(LocalDate date) {
        for (Entity e : Entity.values()) {
            if (!Files.isDirectory(root.resolve(e.tableName()).resolve(date.toString()))) {
                csv(e, date, e.tableName() + ".csv");
            }
        }
        return this;
    }
}
