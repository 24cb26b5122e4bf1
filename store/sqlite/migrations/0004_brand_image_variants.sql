-- The hashes of a protected image's variants (centre and side crops, the
-- lightness hash that survives hue shifts), as a JSON list of
-- {"name","pdq","quality"}: kept so a server can rebuild its image index
-- from the database without the pictures.
ALTER TABLE brand_images ADD COLUMN variants TEXT NOT NULL DEFAULT '';
