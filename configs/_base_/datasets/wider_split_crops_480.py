# 480x480 training crops for the wider_split CPU recipes, whose 320
# pipeline they replace entry by entry. The scales keep the 320 recipe's
# resize factors where a 480 crop fits in the image (1.5 times its scales
# 0.2-0.6), the whole short side for the rest.
crop_480 = dict(type='RandomSquareCrop', out_size=480,
                scales=(0.3, 0.45, 0.675, 0.9, 1.0))
resize_480 = dict(type='FaceResize', scale=(480, 480), keep_ratio=False)
