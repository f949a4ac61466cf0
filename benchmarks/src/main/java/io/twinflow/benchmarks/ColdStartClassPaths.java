package io.twinflow.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * What {@link ColdStart}'s child JVMs run from: the shaded function jar and a trimmed copy of it, the
 * probe's classes, the HTTP clients' jars, and what each of those weighs.
 */
final class ColdStartClassPaths {

    /** What the stream-processor never loads: the trimmed jar leaves it out. */
    static final List<String> NOT_NEEDED_BY_STREAM_PROCESSOR = List.of(
            "io/netty/", "META-INF/native/", "org/apache/hc/", "org/postgresql/",
            "software/amazon/awssdk/services/redshiftdata/", "software/amazon/awssdk/http/nio/netty/",
            "software/amazon/awssdk/http/apache5/");

    private ColdStartClassPaths() {
    }

    static Path functionJar(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("functions/target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no functions/target/*-lambda.jar: build functions first (mvn -pl functions -am package)"));
        }
    }

    /** The function jar without {@link #NOT_NEEDED_BY_STREAM_PROCESSOR}, and service entries naming removed classes. */
    static Path trim(Path jar, Path target) throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                String name = entry.getName();
                if (NOT_NEEDED_BY_STREAM_PROCESSOR.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (name.startsWith("META-INF/services/")) {
                    StringBuilder kept = new StringBuilder();
                    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                        String path = line.trim().replace('.', '/') + "/";
                        if (NOT_NEEDED_BY_STREAM_PROCESSOR.stream().noneMatch(path::startsWith)) {
                            kept.append(line).append('\n');
                        }
                    }
                    bytes = kept.toString().getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(name));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return target;
    }

    /** The class-path entry holding this module's classes (the probe's only own class is used). */
    static String probeClasses() {
        return classPath().filter(e -> Files.isDirectory(Path.of(e)))
                .filter(e -> Files.exists(Path.of(e, ColdStartProbe.class.getName().replace('.', '/') + ".class")))
                .findFirst().orElseThrow();
    }

    private static Stream<String> classPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    private static List<Path> httpClientJars() {
        Path dir = Path.of(System.getProperty("twinflow.http-clients", "benchmarks/target/http-clients"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = new ArrayList<>(files.toList());
            // The Apache client's own dependencies are already among this module's libraries.
            classPath().filter(e -> {
                String n = Path.of(e).getFileName().toString();
                return n.startsWith("httpclient-4") || n.startsWith("httpcore-4") || n.startsWith("commons-codec-")
                        || n.startsWith("jcl-over-slf4j-") || n.startsWith("slf4j-api-");
            }).forEach(e -> jars.add(Path.of(e)));
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String httpClientClassPath() {
        return String.join(File.pathSeparator, httpClientJars().stream().map(Path::toString).toList());
    }

    /** What each client adds to a deployment package (the URLConnection client is already in the function jar). */
    static Map<String, Object> httpClientJarSizes() throws IOException {
        Map<String, Object> sizes = new LinkedHashMap<>();
        long apache = 0;
        long crt = 0;
        for (Path p : httpClientJars()) {
            String n = p.getFileName().toString();
            if (n.startsWith("aws-crt")) {
                crt += Files.size(p);
            } else if (!n.startsWith("jcl-over-slf4j-") && !n.startsWith("slf4j-api-")) {
                apache += Files.size(p);
            }
        }
        long url = classPath().filter(e -> Path.of(e).getFileName().toString().startsWith("url-connection-client-"))
                .mapToLong(e -> Path.of(e).toFile().length()).sum();
        sizes.put("urlConnection", mb(url));
        sizes.put("apache", mb(apache));
        sizes.put("crt", mb(crt));
        return sizes;
    }

    static double mb(long bytes) {
        return Results.round(bytes / 1024.0 / 1024.0, 2);
    }
}
