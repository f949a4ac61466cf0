package io.twinflow.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directory an emulator's on-disk store lives in: created with its parents before the store opens it. */
final class StoreDirectory {

    private StoreDirectory() {
    }

    static Path create(Path directory, String service) {
        try {
            return Files.createDirectories(directory).toAbsolutePath();
        } catch (IOException e) {
            throw new EmulatorStartException("cannot create the " + service + " store directory " + directory + ": "
                    + e.getMessage() + " (choose a writable --data-dir)", e);
        }
    }
}
