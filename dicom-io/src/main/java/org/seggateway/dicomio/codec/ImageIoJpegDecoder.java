package org.seggateway.dicomio.codec;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * JPEG (ISO 10918) frames by an ImageIO reader: the JDK's {@code jpeg} reader for baseline and 8-bit extended, the
 * {@code jpeg-lossless} reader of pixelmed-imageio for the lossless processes. The raster's samples are the stored
 * values: no colour conversion applies to one grey-scale component.
 */
public final class ImageIoJpegDecoder implements FrameDecoder {
    private final String format;

    public ImageIoJpegDecoder(String format) {
        this.format = format;
    }

    /** True when a reader of this format is on the class path. */
    public boolean available() {
        return ImageIO.getImageReadersByFormatName(format).hasNext();
    }

    @Override
    public void decode(byte[] frame, FrameSpec spec, short[] voxels, int offset) throws CodecException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) throw new CodecException("no ImageIO reader for " + format + " on the class path");
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
            reader.setInput(in, true, true);
            Raster raster = reader.canReadRaster() ? reader.readRaster(0, null) : reader.read(0).getRaster();
            FrameDecoder.checkSize("JPEG", spec, raster.getWidth(), raster.getHeight(), raster.getNumBands());
            int columns = spec.columns();
            int[] row = new int[columns];
            for (int y = 0; y < spec.rows(); y++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, columns, 1, 0, row);
                int at = offset + y * columns;
                for (int x = 0; x < columns; x++) voxels[at + x] = (short) row[x];
            }
        } catch (IOException | RuntimeException e) {
            throw new CodecException("JPEG (" + format + "): " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }
}
