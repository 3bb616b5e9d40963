# 640x640 training crops for the wider_split CPU recipes, whose 320
# pipeline they replace entry by entry: RetinaFace's crops (0.3-1.0 of the
# short side), the size V1 and RetinaFace train at, where faces up to 640
# px appear (a 320 crop never holds one larger than 320 px).
crop_640 = dict(type='RandomSquareCrop', out_size=640,
                scales=(0.3, 0.45, 0.6, 0.8, 1.0))
resize_640 = dict(type='FaceResize', scale=(640, 640), keep_ratio=False)
