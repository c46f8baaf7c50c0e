"""pair_life"""
