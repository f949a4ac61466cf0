package io.twinflow.glue;

import java.io.Serializable;
import java.time.Instant;

/**
 * One raw archive object: its path, its S3 LastModified time and its (gzip) bytes.
 */
public class RawObjectFile implements Serializable {

    private static final long serialVersionUID = 1L;

    private String path;
    private Instant modificationTime;
    private byte[] content;

    public RawObjectFile() {
    }

    /**
     * @param path the object's key or URI; its {@code dt=YYYY-MM-DD/} partition is the arrival day its
     *     rejected lines count for
     * @param modificationTime its LastModified: the arrival of its plain (non-envelope) lines
     * @param content its bytes, gzip (as the archiver writes them) or plain
     */
    public RawObjectFile(String path, Instant modificationTime, byte[] content) {
        this.path = path;
        this.modificationTime = modificationTime;
        this.content = content;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Instant getModificationTime() {
        return modificationTime;
    }

    public void setModificationTime(Instant modificationTime) {
        this.modificationTime = modificationTime;
    }

    public byte[] getContent() {
        return content;
    }

    public void setContent(byte[] content) {
        this.content = content;
    }
}
