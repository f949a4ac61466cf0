package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** What goes to Glue: the -glue jar carries the job and its own libraries, relocated, and none of Glue's. */
class GlueJarIT {

    private final Path jar = Paths.get(System.getProperty("twinflow.glue.jar", "target/missing-glue.jar"));

    @Test
    void holdsTheJobCoreAndWarehouseAndNamesTheJobAsMainClass() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getEntry("io/twinflow/glue/DailyRollupJob.class")).isNotNull();
            assertThat(file.getEntry("io/twinflow/core/event/EventDecoder.class")).isNotNull();
            assertThat(file.getEntry("io/twinflow/warehouse/jdbc/JdbcWarehouse.class")).isNotNull();
            assertThat(file.getEntry("db/migration/V002__summaries.sql")).isNotNull();
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(DailyRollupJob.class.getName());
        }
    }

    @Test
    void carriesNothingGlueProvidesAndNoUnrelocatedCopyOfWhatItShades() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> names = file.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
            assertThat(names).noneMatch(n -> n.startsWith("com/fasterxml/") || n.startsWith("org/apache/spark/")
                    || n.startsWith("org/apache/hadoop/") || n.startsWith("scala/") || n.startsWith("org/slf4j/"));
            assertThat(names).noneMatch(n -> n.startsWith("software/amazon/") || n.startsWith("org/postgresql/")
                    || n.startsWith("org/reactivestreams/") || n.startsWith("META-INF/versions/"));
            assertThat(names).anyMatch(n -> n.startsWith("io/twinflow/glue/shaded/awssdk/services/redshiftdata/"));
        }
    }

    @Test
    void serviceFilesNameTheRelocatedClasses() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(read(file, "META-INF/services/java.sql.Driver")).contains("io.twinflow.glue.shaded.postgresql.Driver");
            assertThat(read(file, "META-INF/services/io.twinflow.glue.shaded.awssdk.http.SdkHttpService"))
                    .contains("io.twinflow.glue.shaded.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        }
    }

    private static String read(JarFile file, String name) throws IOException {
        ZipEntry entry = file.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
}
